// Maps whatever a fetch or push threw (isomorphic-git errors, fetch TypeErrors, our own
// GitErrors) onto a GitError with a reason, with a message a person can act on.
import { GitError, redactUrl } from "./errors.ts";

interface CodedError extends Error {
  code?: string;
  data?: { statusCode?: number; statusMessage?: string; reason?: string; prettyDetails?: string };
}

export function classifyGitError(error: unknown, url: string): GitError {
  if (error instanceof GitError) return error;
  const e = error as CodedError;
  const message = e?.message ?? String(error);
  const safeMessage = redactUrl(message);
  if (e?.code === "HttpError") {
    const status = e.data?.statusCode;
    if (status === 401 || status === 403) {
      return new GitError(
        "AuthFailed",
        `the server refused the credentials (HTTP ${status}); check spec.secretRef`,
        url,
        error,
      );
    }
    if (status === 404) {
      return new GitError("GitOperationFailed", "repository not found (HTTP 404)", url, error);
    }
    return new GitError(
      "GitOperationFailed",
      `HTTP ${status} ${e.data?.statusMessage ?? ""}`.trim(),
      url,
      error,
    );
  }
  if (e?.name === "AbortError") {
    return new GitError("Timeout", "the operation was cancelled", url, error);
  }
  if (
    error instanceof TypeError &&
    /error sending request|connect|dns|tcp|certificate|tls/i.test(message)
  ) {
    return new GitError("Unreachable", `cannot reach the server: ${safeMessage}`, url, error);
  }
  if (e?.code === "PushRejectedError") {
    return new GitError("PushRejected", `push rejected: ${safeMessage}`, url, error);
  }
  if (
    e?.code === "InternalError" || e?.code === "ParseError" ||
    e?.code === "EmptyServerResponseError" ||
    /checksum|pack|inflate|unexpected end|incorrect header|invalid/i.test(message)
  ) {
    return new GitError(
      "CorruptPack",
      `the server's response could not be read: ${safeMessage}`,
      url,
      error,
    );
  }
  return new GitError("GitOperationFailed", safeMessage, url, error);
}
