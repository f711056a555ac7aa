// What can go wrong talking to a registry, as a value callers branch on (the `reason` ends up
// in the ImageRepository status unchanged).

export type RegistryFailure =
  | "Unauthorized" // 401/403 after trying the credentials we have
  | "NotFound" // 404: no such repository (or manifest)
  | "RateLimited" // 429, with retryAfterSeconds when the registry said
  | "ServerError" // 5xx
  | "UnexpectedStatus" // any other status
  | "InvalidResponse" // a body that is not the JSON the API promises, or too large
  | "TooManyPages" // paging that does not end (or loops)
  | "Timeout"
  | "Network"; // connection refused, TLS failure, DNS...

export class RegistryError extends Error {
  override readonly name = "RegistryError";
  constructor(
    readonly reason: RegistryFailure,
    message: string,
    readonly details: { status?: number; url?: string; retryAfterSeconds?: number } = {},
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}
