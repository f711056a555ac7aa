// The decryption hook the renderer calls: whole files (generator inputs, patches, resource
// files) in any SOPS store, and single parsed documents carrying `sops:`. Every file is
// verified against its MAC before any plaintext is returned; a file that cannot be decrypted
// throws a SopsError naming the file and the reason.
import type { SecretRegistry } from "../log/mod.ts";
import { decodeBase64, encodeBase64 } from "./base64.ts";
import { decryptBranches } from "./decrypt_tree.ts";
import { SopsError, SopsMacError } from "./errors.ts";
import { detectFormat, formatForPath, hasSopsMarker, storeFor } from "./format.ts";
import { CipherError, decryptValue } from "./cipher.ts";
import { GcmKey } from "./gcm.ts";
import type { Keyring } from "./keyring.ts";
import { parseMetadata } from "./metadata.ts";
import { encryptionPredicate } from "./rules.ts";
import type { SopsFormat } from "./stores/store.ts";
import { Branch, fromPlain, toPlain, type TreeValue } from "./tree.ts";

/** Flux's per-file limit for encrypted files. */
export const MAX_ENCRYPTED_FILE_BYTES = 5 * 1024 * 1024;

/** Flux's annotation that leaves an object as it is. */
export const DECRYPT_ANNOTATION = "kustomize.toolkit.fluxcd.io/decrypt";

export interface DecryptorOptions {
  maxFileBytes?: number;
  /** Decrypted string values are added here so that loggers mask them. */
  secrets?: SecretRegistry;
}

export interface DecryptContext {
  /** The file the data came from, as it should appear in errors. */
  file?: string;
}

export interface FileOptions extends DecryptContext {
  /**
   * Fail with reason "not-encrypted" when the file has no SOPS metadata (`sops decrypt`
   * semantics). By default such files are returned unchanged, as Flux does.
   */
  requireEncrypted?: boolean;
}

export class Decryptor {
  readonly #maxFileBytes: number;
  readonly #secrets: SecretRegistry | undefined;

  constructor(readonly keyring: Keyring, options: DecryptorOptions = {}) {
    this.#maxFileBytes = options.maxFileBytes ?? MAX_ENCRYPTED_FILE_BYTES;
    this.#secrets = options.secrets;
  }

  /**
   * Decrypts a file in the given store format and returns its plaintext in the same format.
   * Files without the format's SOPS marker are returned as they are, unless
   * `requireEncrypted` is set.
   */
  async decryptFile(
    bytes: Uint8Array,
    format: SopsFormat,
    options: FileOptions = {},
  ): Promise<Uint8Array> {
    return await this.decryptFileAs(bytes, format, format, options);
  }

  /** Like decryptFile, writing the plaintext with another store (Flux does for Secret data). */
  async decryptFileAs(
    bytes: Uint8Array,
    input: SopsFormat,
    output: SopsFormat,
    options: FileOptions = {},
  ): Promise<Uint8Array> {
    const file = options.file;
    if (bytes.length > this.#maxFileBytes) {
      throw new SopsError(
        "format",
        file,
        `file is ${bytes.length} bytes, over the limit of ${this.#maxFileBytes} for encrypted files`,
      );
    }
    if (!hasSopsMarker(bytes, input) && !options.requireEncrypted) return bytes;
    const store = storeFor(input);
    const loaded = store.load(bytes, file);
    const docMeta = loaded.documentMetadata;
    if (docMeta && docMeta.length > 1 && !sharesOneMetadata(docMeta)) {
      // Documents encrypted one by one and concatenated: each carries its own key and MAC, as
      // Flux sees them (it decrypts each resource on its own).
      const out: Uint8Array[] = [];
      for (let i = 0; i < loaded.branches.length; i++) {
        const branch = [loaded.branches[i]];
        if (docMeta[i] !== undefined) {
          await this.#decryptBranches(branch, docMeta[i], file, `document ${i + 1}`);
        }
        out.push(storeFor(output).emit(branch));
      }
      return joinDocuments(out);
    }
    if (loaded.metadata === undefined) {
      if (options.requireEncrypted) {
        throw new SopsError("not-encrypted", file, "sops metadata not found");
      }
      return bytes;
    }
    await this.#decryptBranches(loaded.branches, loaded.metadata, file, undefined);
    return storeFor(output).emit(loaded.branches);
  }

  /**
   * Decrypts one parsed Kubernetes document. A document with a `sops` section is decrypted
   * and verified as a whole; a v1 Secret without one has SOPS files inside its `data` values
   * decrypted (Flux's nested Secret data); anything else, and objects annotated
   * `kustomize.toolkit.fluxcd.io/decrypt: disabled`, come back unchanged.
   */
  async decryptDocument(
    obj: Record<string, unknown>,
    context: DecryptContext = {},
  ): Promise<Record<string, unknown>> {
    if (decryptionDisabled(obj)) return obj;
    if (obj.sops !== undefined && obj.sops !== null) {
      const { sops, ...rest } = obj;
      const branch = fromPlain(rest) as Branch;
      await this.#decryptBranches([branch], sops, context.file, describeObject(obj));
      return toPlain(branch) as Record<string, unknown>;
    }
    if (obj.kind === "Secret" && obj.apiVersion === "v1" && isRecord(obj.data)) {
      return await this.#decryptSecretData(obj, obj.data, context);
    }
    return obj;
  }

  async #decryptSecretData(
    obj: Record<string, unknown>,
    data: Record<string, unknown>,
    context: DecryptContext,
  ): Promise<Record<string, unknown>> {
    let changed: Record<string, unknown> | undefined;
    for (const [key, value] of Object.entries(data)) {
      if (typeof value !== "string") continue;
      const bytes = decodeBase64(value);
      // Flux lets values that are not base64 fail later, in the apply.
      if (!bytes) continue;
      const input = detectFormat(bytes);
      if (!input) continue;
      let plain: Uint8Array;
      try {
        plain = await this.decryptFileAs(bytes, input, formatForPath(key), {
          file: context.file,
          requireEncrypted: true,
        });
      } catch (e) {
        if (e instanceof SopsError) {
          throw new SopsError(
            e.reason,
            context.file,
            `${describeObject(obj)}: data.${key}: ${e.detail}`,
            { cause: e },
          );
        }
        throw e;
      }
      changed ??= { ...data };
      changed[key] = encodeBase64(plain);
    }
    return changed ? { ...obj, data: changed } : obj;
  }

  async #decryptBranches(
    branches: Branch[],
    rawMetadata: unknown,
    file: string | undefined,
    document: string | undefined,
  ): Promise<void> {
    const prefix = document ? `${document}: ` : "";
    const meta = parseMetadata(rawMetadata, file);
    const shouldDecrypt = encryptionPredicate(meta.rules, file);
    const dataKey = await this.keyring.unwrapDataKey(meta, file);
    const key = await GcmKey.import(dataKey);
    const computed = await decryptBranches(branches, {
      key,
      shouldDecrypt,
      macOnlyEncrypted: meta.macOnlyEncrypted,
      file,
      documentLabel: document ? () => document : undefined,
    });
    if (!meta.mac) {
      throw new SopsMacError(file, `${prefix}the file has no MAC; refusing unverified data`);
    }
    let stored: string;
    try {
      const out = await decryptValue(key, meta.mac, meta.macAdditionalData);
      if (typeof out.value !== "string") throw new CipherError("the MAC is not a string");
      stored = out.value;
    } catch (e) {
      if (e instanceof CipherError) {
        throw new SopsMacError(
          file,
          `${prefix}cannot decrypt the stored MAC (${e.detail}); the metadata was changed`,
        );
      }
      throw e;
    }
    if (stored !== computed) {
      throw new SopsMacError(
        file,
        `${prefix}MAC mismatch: the file was changed after it was encrypted; refusing to use it`,
      );
    }
    if (this.#secrets) { for (const b of branches) registerSecrets(b, this.#secrets); }
  }
}

function sharesOneMetadata(docMeta: unknown[]): boolean {
  if (docMeta.some((m) => m === undefined)) return false;
  const first = JSON.stringify(docMeta[0]);
  return docMeta.every((m) => JSON.stringify(m) === first);
}

function joinDocuments(parts: Uint8Array[]): Uint8Array {
  const text = parts.map((p) => new TextDecoder().decode(p)).join("---\n");
  return new TextEncoder().encode(text);
}

function registerSecrets(value: TreeValue, secrets: SecretRegistry): void {
  if (value instanceof Branch) {
    for (const i of value.items) registerSecrets(i.value, secrets);
  } else if (Array.isArray(value)) {
    for (const v of value) registerSecrets(v, secrets);
  } else if (typeof value === "string") {
    secrets.add(value);
    for (const line of value.split("\n")) secrets.add(line.trim());
  } else if (value instanceof Uint8Array) {
    secrets.add(new TextDecoder().decode(value));
  }
}

function decryptionDisabled(obj: Record<string, unknown>): boolean {
  const meta = obj.metadata;
  if (!isRecord(meta) || !isRecord(meta.annotations)) return false;
  const v = meta.annotations[DECRYPT_ANNOTATION];
  return typeof v === "string" && v.toLowerCase() === "disabled";
}

function describeObject(obj: Record<string, unknown>): string {
  const meta = isRecord(obj.metadata) ? obj.metadata : {};
  const ns = typeof meta.namespace === "string" ? `${meta.namespace}/` : "";
  const name = typeof meta.name === "string" ? meta.name : "(unnamed)";
  return `${typeof obj.kind === "string" ? obj.kind : "object"} ${ns}${name}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
