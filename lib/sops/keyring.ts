// The keys a Kustomization may decrypt with, read the way Flux's kustomize-controller reads its
// decryption Secret: entries ending in `.agekey` hold age identities, entries ending in `.asc`
// hold armored OpenPGP private keys. The cloud KMS and Vault credential entries Flux knows are
// recorded so that a file needing them fails with a clear "not supported" reason.
import { decodeBase64 } from "./base64.ts";
import { SopsKeyError, SopsNoKeyError, SopsUnsupportedError } from "./errors.ts";
import { type AgeIdentity, AgeKeyError, ageUnwrap, parseAgeIdentities } from "./keys/age.ts";
import { parsePgpPrivateKeys, PgpKeyError, type PgpKeySet, pgpUnwrap } from "./keys/pgp.ts";
import { OTHER_KEY_TYPES, type SopsMetadata } from "./metadata.ts";

/** Flux's Secret entry names for credentials of providers skiff does not implement. */
export const UNSUPPORTED_SECRET_ENTRIES: Record<string, string> = {
  "sops.vault-token": "HashiCorp Vault/OpenBao token",
  "sops.aws-kms": "AWS KMS credentials",
  "sops.azure-kv": "Azure Key Vault credentials",
  "sops.gcp-kms": "GCP KMS credentials",
};

export const AGE_KEY_SUFFIX = ".agekey";
export const PGP_KEY_SUFFIX = ".asc";

export interface SecretKeysOptions {
  /** Names the Secret in errors, e.g. `Secret flux-system/sops-keys`. */
  source: string;
  /**
   * Only take `.agekey` entries, as Flux does for its controller-wide fallback age Secret
   * (`--sops-age-secret`).
   */
  ageOnly?: boolean;
}

export class Keyring {
  private constructor(
    readonly age: readonly AgeIdentity[],
    readonly pgp: readonly PgpKeySet[],
    /** Credentials present in the Secret that skiff cannot use (Vault, cloud KMS). */
    readonly unsupportedCredentials: readonly string[],
  ) {}

  static empty(): Keyring {
    return new Keyring([], [], []);
  }

  /**
   * Reads keys from a decryption Secret's data. Values are the decoded bytes (or text) of the
   * Secret's `data` entries. Entries with other names are ignored, as in Flux.
   */
  static async fromSecretData(
    data: Readonly<Record<string, Uint8Array | string>>,
    options: SecretKeysOptions,
  ): Promise<Keyring> {
    const age: AgeIdentity[] = [];
    const pgp: PgpKeySet[] = [];
    const unsupported: string[] = [];
    // Sorted so that errors and key order do not depend on the Secret's map order.
    for (const name of Object.keys(data).sort()) {
      const raw = data[name];
      const text = typeof raw === "string" ? raw : new TextDecoder().decode(raw);
      if (name.endsWith(AGE_KEY_SUFFIX)) {
        age.push(...await readAge(text, options.source, name));
      } else if (options.ageOnly) {
        continue;
      } else if (name.endsWith(PGP_KEY_SUFFIX)) {
        pgp.push(await readPgp(text, options.source, name));
      } else if (name in UNSUPPORTED_SECRET_ENTRIES) {
        unsupported.push(`${name} (${UNSUPPORTED_SECRET_ENTRIES[name]})`);
      }
    }
    return new Keyring(age, pgp, unsupported);
  }

  /**
   * Reads keys from a Kubernetes Secret object as the API returns it (`data` base64-encoded;
   * `stringData` taken as text). The Secret is named `Secret <namespace>/<name>` in errors.
   */
  static async fromSecret(
    secret: {
      metadata?: { name?: string; namespace?: string };
      data?: unknown;
      stringData?: unknown;
    },
    options: { ageOnly?: boolean } = {},
  ): Promise<Keyring> {
    const ns = secret.metadata?.namespace;
    const source = `Secret ${ns ? `${ns}/` : ""}${secret.metadata?.name ?? "(unnamed)"}`;
    const data: Record<string, Uint8Array | string> = {};
    for (const [name, value] of Object.entries(asRecord(secret.data))) {
      if (typeof value !== "string") continue;
      const bytes = decodeBase64(value);
      if (!bytes) throw new SopsKeyError(source, name, "the data value is not valid base64");
      data[name] = bytes;
    }
    for (const [name, value] of Object.entries(asRecord(secret.stringData))) {
      if (typeof value === "string") data[name] = value;
    }
    return await Keyring.fromSecretData(data, { source, ageOnly: options.ageOnly });
  }

  /**
   * Reads a key file for offline use (`--decryption-key FILE`): armored OpenPGP private keys,
   * or an age identity file.
   */
  static async fromKeyFile(text: string, source: string): Promise<Keyring> {
    if (text.includes("-----BEGIN PGP PRIVATE KEY BLOCK-----")) {
      return new Keyring([], [await readPgp(text, source, undefined)], []);
    }
    return new Keyring(await readAge(text, source, undefined), [], []);
  }

  /** A keyring holding both sets of keys (e.g. a Kustomization's Secret and a global one). */
  merge(other: Keyring): Keyring {
    return new Keyring(
      [...this.age, ...other.age],
      [...this.pgp, ...other.pgp],
      [...this.unsupportedCredentials, ...other.unsupportedCredentials],
    );
  }

  get isEmpty(): boolean {
    return this.age.length === 0 && this.pgp.length === 0;
  }

  /** Public names of the keys held (age recipients, PGP fingerprints), for messages. */
  describe(): string[] {
    return [
      ...this.age.map((a) => a.recipient),
      ...this.pgp.flatMap((p) => p.fingerprints.map((f) => `pgp:${f}`)),
    ];
  }

  /**
   * Recovers the file's data key: age stanzas first, then PGP, as SOPS orders them.
   * Throws SopsNoKeyError listing every attempt, or SopsUnsupportedError when the file can
   * only be opened by a key type skiff does not implement.
   */
  async unwrapDataKey(meta: SopsMetadata, file: string | undefined): Promise<Uint8Array> {
    if (meta.keyGroups.length > 1) {
      throw new SopsUnsupportedError(
        file,
        `the data key is split across ${meta.keyGroups.length} key groups (Shamir secret ` +
          "sharing), which is not supported",
      );
    }
    const group = meta.keyGroups[0];
    const attempts: string[] = [];
    for (const stanza of group.age) {
      const name = `age ${stanza.recipient || "(no recipient)"}`;
      const mine = this.age.filter((a) => a.recipient === stanza.recipient);
      if (this.age.length === 0) {
        attempts.push(`${name}: no age identity available`);
        continue;
      }
      try {
        // Try the matching identity first; SOPS files may name a recipient loosely.
        const key = await ageUnwrap(mine.length ? mine : this.age, stanza.enc);
        return checkDataKey(key, name, file);
      } catch (e) {
        if (!(e instanceof AgeKeyError)) throw e;
        attempts.push(`${name}: ${mine.length ? e.detail : "no matching age identity"}`);
      }
    }
    for (const stanza of group.pgp) {
      const name = `pgp ${stanza.fp || "(no fingerprint)"}`;
      if (this.pgp.length === 0) {
        attempts.push(`${name}: no PGP private key available`);
        continue;
      }
      let unwrapped: Uint8Array | undefined;
      const reasons: string[] = [];
      for (const set of this.pgp) {
        try {
          unwrapped = await pgpUnwrap(set, stanza.enc);
          break;
        } catch (e) {
          if (!(e instanceof PgpKeyError)) throw e;
          reasons.push(e.detail);
        }
      }
      if (unwrapped) return checkDataKey(unwrapped, name, file);
      attempts.push(`${name}: ${[...new Set(reasons)].join("; ")}`);
    }
    for (const other of group.other) {
      const label = OTHER_KEY_TYPES[other.type]?.label ?? other.type;
      attempts.push(
        `${label} ${other.id}: not supported (skiff decrypts with age and OpenPGP only)`,
      );
    }
    if (group.age.length + group.pgp.length === 0) {
      const credentials = this.unsupportedCredentials.length
        ? ` (the decryption Secret's ${this.unsupportedCredentials.join(", ")} cannot be used)`
        : "";
      throw new SopsUnsupportedError(
        file,
        `the data key is wrapped only for ${
          [...new Set(group.other.map((o) => OTHER_KEY_TYPES[o.type]?.label ?? o.type))].join(", ")
        }, which is not supported; skiff decrypts with age and OpenPGP keys${credentials}`,
      );
    }
    throw new SopsNoKeyError(file, "cannot decrypt the data key: no matching key", attempts);
  }
}

function checkDataKey(key: Uint8Array, name: string, file: string | undefined): Uint8Array {
  if (key.length !== 32) {
    throw new SopsNoKeyError(file, "cannot decrypt the data key", [
      `${name}: unwrapped ${key.length} bytes, expected a 32-byte data key`,
    ]);
  }
  return key;
}

async function readAge(text: string, source: string, entry: string | undefined) {
  try {
    return await parseAgeIdentities(text);
  } catch (e) {
    if (e instanceof AgeKeyError) throw new SopsKeyError(source, entry, e.detail);
    throw e;
  }
}

async function readPgp(text: string, source: string, entry: string | undefined) {
  try {
    return await parsePgpPrivateKeys(text);
  } catch (e) {
    if (e instanceof PgpKeyError) throw new SopsKeyError(source, entry, e.detail);
    throw e;
  }
}

function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v)
    ? v as Record<string, unknown>
    : {};
}
