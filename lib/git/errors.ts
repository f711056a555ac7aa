// Typed Git failures. The reason ends up unchanged in a GitRepository's status condition, so a
// reconciler branches on `reason`, never on message text.

export type GitErrorReason =
  /** Host unknown, refused, timed out or TLS failure. */
  | "Unreachable"
  /** The server refused the credentials (401/403, SSH auth rejected). */
  | "AuthFailed"
  /** The SSH host key is not in known_hosts (or no known_hosts was given). */
  | "HostKeyMismatch"
  /** The branch, tag, named ref or commit does not exist on the remote. */
  | "RefNotFound"
  /** No tag satisfies the semver range of `spec.ref.semver`. */
  | "NoMatchingTag"
  /** The pack (or an object in it) could not be read: corrupted or truncated. */
  | "CorruptPack"
  /** The download or the artifact exceeds the configured size limit. */
  | "TooLarge"
  /** `spec.timeout` elapsed. */
  | "Timeout"
  /** `spec.verify`: the commit or tag signature is missing or not from a trusted key. */
  | "VerificationFailed"
  /** The spec itself is wrong (bad URL, bad semver range, missing secret field). */
  | "InvalidSpec"
  /** A push was rejected and retries did not help (or it was not a fast-forward). */
  | "PushRejected"
  /** Anything else the server or the library reported. */
  | "GitOperationFailed";

export class GitError extends Error {
  override readonly name = "GitError";
  constructor(
    readonly reason: GitErrorReason,
    message: string,
    /** The repository URL (credentials never included). */
    readonly url?: string,
    override readonly cause?: unknown,
  ) {
    super(url ? `${redactUrl(url)}: ${message}` : message);
  }
}

/** A URL safe to print: any user:password part is replaced. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1");
}
