// Maps whatever a fetch or push threw onto a GitError with a reason. Transports and protocol
// code throw GitErrors themselves; this catches the rest (cancellation, file system errors,
// bugs) so callers always get a reason and a message without credentials in it.
import { GitError, redactUrl } from "./errors.ts";

export function classifyGitError(error: unknown, url: string): GitError {
  if (error instanceof GitError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.name === "AbortError") {
    return new GitError("Timeout", "the operation was cancelled", url, error);
  }
  return new GitError("GitOperationFailed", redactUrl(message), url, error);
}
