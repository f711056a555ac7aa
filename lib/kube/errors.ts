// Typed errors of the Kubernetes client. Each carries the facts a caller branches on
// (status code, reason, causes, the object involved) and a message a person can act on.

/** One cause in a `Status` from the API (a field that failed validation, for example). */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** The `Status` object the API returns with every error. */
export interface ApiStatus {
  kind?: "Status";
  apiVersion?: string;
  status?: "Success" | "Failure";
  code: number;
  reason: string;
  message: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
}

/** What the client was doing, so an error can say it. */
export interface RequestContext {
  method: string;
  url: string;
  /** The verb in Kubernetes terms: get, list, create, patch... */
  verb?: string;
  resource?: string;
  group?: string;
  namespace?: string;
  name?: string;
}

/** The API answered with an error status. */
export class KubeApiError extends Error {
  override readonly name = "KubeApiError";
  constructor(readonly status: ApiStatus, readonly request: RequestContext) {
    super(describeApiError(status, request));
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string {
    return this.status.reason;
  }
  get causes(): StatusCause[] {
    return this.status.details?.causes ?? [];
  }
  get isNotFound(): boolean {
    return this.status.code === 404 || this.status.reason === "NotFound";
  }
  get isConflict(): boolean {
    return this.status.code === 409;
  }
  get isGone(): boolean {
    return this.status.code === 410 || this.status.reason === "Expired" ||
      this.status.reason === "Gone";
  }
  get isForbidden(): boolean {
    return this.status.code === 403;
  }
  get isInvalid(): boolean {
    return this.status.code === 422 || this.status.reason === "Invalid";
  }
}

function resourceName(request: RequestContext): string {
  if (!request.resource) return "";
  return request.group ? `${request.resource}.${request.group}` : request.resource;
}

function describeApiError(status: ApiStatus, request: RequestContext): string {
  if (status.code === 403 && request.verb && request.resource) {
    // The API's own message repeats the object name and wraps the user in quotes of its own;
    // people need: who, which verb, which resource, where.
    const user = /User "([^"]*)"/.exec(status.message)?.[1];
    const who = user ? `User '${user}'` : "the current user";
    const where = request.namespace ? ` in namespace '${request.namespace}'` : " at cluster scope";
    return `forbidden: ${who} cannot ${request.verb} ${resourceName(request)}${where}`;
  }
  const message = status.message || `${status.reason || "error"} (HTTP ${status.code})`;
  return status.reason && !message.toLowerCase().includes(status.reason.toLowerCase())
    ? `${message} (${status.reason})`
    : message;
}

/** The API server could not be reached at all (DNS, refused, TLS, timeout). */
export class KubeConnectionError extends Error {
  override readonly name = "KubeConnectionError";
  constructor(readonly url: string, readonly detail: string, options?: { cause?: unknown }) {
    super(`cannot reach ${url} (${detail})`, options);
  }
}

/** The request took longer than the configured timeout. */
export class KubeTimeoutError extends Error {
  override readonly name = "KubeTimeoutError";
  constructor(readonly request: RequestContext, readonly timeoutMs: number) {
    super(`${request.method} ${request.url}: no answer within ${timeoutMs} ms`);
  }
}

/** The API does not serve this apiVersion/kind. */
export class UnknownKindError extends Error {
  override readonly name = "UnknownKindError";
  constructor(
    readonly group: string,
    readonly version: string,
    readonly kind: string,
    /** Versions of the group the server does serve, when the group exists. */
    readonly servedVersions: string[] = [],
  ) {
    super(describeUnknownKind(group, version, kind, servedVersions));
  }
}

function describeUnknownKind(
  group: string,
  version: string,
  kind: string,
  served: string[],
): string {
  if (served.length > 0) {
    return `no kind '${kind}' in version '${version}' of group '${
      group || "core"
    }' (the server serves: ${served.join(", ")})`;
  }
  if (group === "") return `no kind '${kind}' in the core API group (version '${version}')`;
  return `no kind '${kind}' in group '${group}' — is the CRD installed?`;
}

/** A kubeconfig (or in-cluster setup) that cannot be used, naming the file and field. */
export class KubeConfigError extends Error {
  override readonly name = "KubeConfigError";
  constructor(readonly file: string | undefined, readonly field: string, readonly reason: string) {
    super(`${file ? `${file}: ` : ""}${field ? `${field}: ` : ""}${reason}`);
  }
}

/** An exec credential plugin failed or answered something unusable. */
export class ExecCredentialError extends Error {
  override readonly name = "ExecCredentialError";
  constructor(readonly command: string, readonly reason: string) {
    super(`exec credential plugin '${command}': ${reason}`);
  }
}

/** Detail string for a network failure, in the words people know from curl and kubectl. */
export function connectionDetail(error: unknown): string {
  const text = error instanceof Error ? `${error.message} ${String(error.cause ?? "")}` : "";
  if (/refused/i.test(text)) return "connection refused";
  // Certificate errors first: their text mentions DNS names too.
  const tls = /invalid peer certificate: ([^;\n]*)/i.exec(text);
  if (tls) return `TLS error: ${tls[1]}`;
  if (/certificate|tls|handshake|UnknownIssuer/i.test(text)) {
    return `TLS error: ${firstLine(text)}`;
  }
  if (/dns error|lookup|name or service not known|failed to lookup/i.test(text)) {
    return "host name not found";
  }
  if (/reset/i.test(text)) return "connection reset";
  if (/timed? ?out/i.test(text)) return "connection timed out";
  return firstLine(text) || "network error";
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0].slice(0, 200);
}
