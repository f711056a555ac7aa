// Errors of the renderer: each names the kustomization file and the field that failed, so a user
// of an untrusted repository sees where to look without a stack trace.

export class KustomizeError extends Error {
  override readonly name = "KustomizeError";
  constructor(
    /** The kustomization file (or resource file) the problem is in, relative to the root. */
    readonly file: string,
    /** The field of that file, e.g. "resources[2]" or "patches[0].target"; "" when not known. */
    readonly field: string,
    readonly reason: string,
    override readonly cause?: unknown,
  ) {
    super(`${file}${field ? `: ${field}` : ""}: ${reason}`);
  }
}

/** A path escaping the confinement root, an absolute path or a refused remote reference. */
export class KustomizeSecurityError extends KustomizeError {}

/** A configured limit (file size, object count, depth) was exceeded. */
export class KustomizeLimitError extends KustomizeError {}

/**
 * A file or object could not be decrypted (wrong key, tampered file, unsupported key type). `file`
 * is the encrypted file; `cause` is the decryptor's error, whose `reason` says why. The message
 * never holds decrypted values.
 */
export class KustomizeDecryptionError extends KustomizeError {}

/** Wraps an error thrown deeper, adding where it happened unless it already says so. */
export function withContext(file: string, field: string, e: unknown): KustomizeError {
  if (e instanceof KustomizeError) return e;
  const reason = e instanceof Error ? e.message : String(e);
  return new KustomizeError(file, field, reason, e);
}
