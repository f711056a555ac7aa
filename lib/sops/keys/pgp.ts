// OpenPGP private keys (armored, as Flux reads `*.asc` Secret entries) and unwrapping a SOPS
// data key wrapped for a PGP fingerprint, via the openpgp package.
import type * as openpgp from "openpgp";

// openpgp (large) loads when a PGP key is first used, not with lib/sops.
type PgpModule = typeof import("openpgp");
let pgpModule: Promise<PgpModule> | undefined;
function loadPgp(): Promise<PgpModule> {
  pgpModule ??= import("openpgp");
  return pgpModule;
}

export class PgpKeyError extends Error {
  override readonly name = "PgpKeyError";
  constructor(readonly detail: string) {
    super(detail);
  }
}

export interface PgpKeySet {
  keys: openpgp.PrivateKey[];
  /** Upper-case fingerprints of primary keys and subkeys with secret material. */
  fingerprints: string[];
}

/**
 * Reads every private key block of an armored text (a Flux `.asc` entry may hold several, and
 * public blocks, which are skipped). Passphrase-protected keys are refused: there is nowhere
 * to take a passphrase from.
 */
export async function parsePgpPrivateKeys(text: string): Promise<PgpKeySet> {
  const blocks = text.match(
    /-----BEGIN PGP PRIVATE KEY BLOCK-----[\s\S]*?-----END PGP PRIVATE KEY BLOCK-----/g,
  ) ?? [];
  if (blocks.length === 0) throw new PgpKeyError("no armored PGP private key block found");
  const pgp = await loadPgp();
  const keys: openpgp.PrivateKey[] = [];
  for (const [i, armoredKeys] of blocks.entries()) {
    let read: openpgp.PrivateKey[];
    try {
      read = await pgp.readPrivateKeys({ armoredKeys });
    } catch (e) {
      throw new PgpKeyError(`private key block ${i + 1}: ${e instanceof Error ? e.message : e}`);
    }
    for (const k of read) {
      if (!k.isDecrypted()) {
        throw new PgpKeyError(
          `key ${k.getFingerprint().toUpperCase()} is passphrase-protected, which is not supported`,
        );
      }
      keys.push(k);
    }
  }
  const fingerprints = keys.flatMap((k) => [
    k.getFingerprint().toUpperCase(),
    ...k.getSubkeys().map((s) => s.getFingerprint().toUpperCase()),
  ]);
  return { keys, fingerprints };
}

/** Decrypts an armored PGP message (a SOPS `enc` field) with the keys that it names. */
export async function pgpUnwrap(set: PgpKeySet, armored: string): Promise<Uint8Array> {
  const pgp = await loadPgp();
  let message: openpgp.Message<Uint8Array>;
  try {
    message = await pgp.readMessage({ armoredMessage: armored });
  } catch {
    throw new PgpKeyError("the wrapped data key is not a valid armored PGP message");
  }
  const wanted = message.getEncryptionKeyIDs();
  // A wildcard (anonymous) recipient may be any of the keys.
  const anonymous = wanted.some((id) => /^0+$/.test(id.toHex()));
  const usable = anonymous
    ? set.keys
    : set.keys.filter((k) => wanted.some((id) => k.getKeys(id).length > 0));
  if (usable.length === 0) throw new PgpKeyError("no private key for this message");
  try {
    const { data } = await pgp.decrypt({ message, decryptionKeys: usable, format: "binary" });
    return data as Uint8Array;
  } catch (e) {
    throw new PgpKeyError(e instanceof Error ? e.message : String(e));
  }
}
