// Typed errors for SOPS decryption. Every message names the file (and the document or field
// when known) and the reason, never a decrypted value: these messages end up in status,
// events and logs.

/** Why a file could not be decrypted; callers branch on this, not on message text. */
export type SopsFailure =
  | "not-encrypted" // no `sops` metadata where it was required
  | "metadata" // the `sops` metadata is malformed
  | "format" // the file does not parse in its store format
  | "no-key" // none of the available keys unwraps the data key
  | "unsupported" // a key type or feature skiff does not implement (KMS, Vault, Shamir)
  | "value" // an encrypted value is malformed or fails authentication
  | "mac"; // the MAC does not match: the file was changed after encryption

export class SopsError extends Error {
  override readonly name: string = "SopsError";
  constructor(
    readonly reason: SopsFailure,
    /** The file being decrypted (as the caller named it), when known. */
    readonly file: string | undefined,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(file ? `${file}: ${detail}` : detail, options);
  }
}

/** The data key could not be unwrapped with any available key. */
export class SopsNoKeyError extends SopsError {
  override readonly name = "SopsNoKeyError";
  constructor(
    file: string | undefined,
    detail: string,
    /** What was tried and why each attempt failed (recipient → reason). */
    readonly attempts: readonly string[],
  ) {
    super("no-key", file, attempts.length ? `${detail}\n  ${attempts.join("\n  ")}` : detail);
  }
}

/** The recomputed MAC differs from the one stored in the file. */
export class SopsMacError extends SopsError {
  override readonly name = "SopsMacError";
  constructor(file: string | undefined, detail: string) {
    super("mac", file, detail);
  }
}

/** A key type or SOPS feature that skiff refuses rather than half-implements. */
export class SopsUnsupportedError extends SopsError {
  override readonly name = "SopsUnsupportedError";
  constructor(file: string | undefined, detail: string) {
    super("unsupported", file, detail);
  }
}

/** Errors while reading keys from a Flux decryption Secret (or a key file). */
export class SopsKeyError extends Error {
  override readonly name = "SopsKeyError";
  constructor(
    /** Where the keys came from: `Secret flux-system/sops-age` or a file path. */
    readonly source: string,
    /** The Secret data key (e.g. `age.agekey`), when the problem is one entry. */
    readonly entry: string | undefined,
    readonly detail: string,
    readonly unsupported = false,
  ) {
    super(`${source}${entry ? `: key ${JSON.stringify(entry)}` : ""}: ${detail}`);
  }
}
