// Kubernetes `Status` errors: every failure the emulator answers with is an ApiError, turned into
// the same JSON body and HTTP code the real kube-apiserver sends.

export type StatusReason =
  | "NotFound"
  | "AlreadyExists"
  | "Conflict"
  | "Invalid"
  | "Forbidden"
  | "Unauthorized"
  | "MethodNotAllowed"
  | "TooManyRequests"
  | "Gone"
  | "Expired"
  | "Timeout"
  | "InternalError"
  | "BadRequest"
  | "NotAcceptable"
  | "UnsupportedMediaType";

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** An API failure with the Status body the real server would send. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = "ApiError";
  }

  toStatus(): Record<string, unknown> {
    const body: Record<string, unknown> = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) body.details = this.details;
    return body;
  }
}

/** What a Status message calls a resource: "deployments.apps" or "pods". */
export function qualifiedResource(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}

export function notFound(group: string, resource: string, name: string): ApiError {
  return new ApiError(
    404,
    "NotFound",
    `${qualifiedResource(group, resource)} "${name}" not found`,
    { name, group, kind: resource },
  );
}

export function alreadyExists(group: string, resource: string, name: string): ApiError {
  return new ApiError(
    409,
    "AlreadyExists",
    `${qualifiedResource(group, resource)} "${name}" already exists`,
    { name, group, kind: resource },
  );
}

export function conflict(group: string, resource: string, name: string, why: string): ApiError {
  return new ApiError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualifiedResource(group, resource)} "${name}": ${why}`,
    { name, group, kind: resource },
  );
}

export function invalid(
  group: string,
  kind: string,
  name: string,
  causes: StatusCause[],
): ApiError {
  const parts = causes.map((c) => `${c.field}: ${c.message}`);
  const list = parts.length === 1 ? parts[0] : `[${parts.join(", ")}]`;
  const what = group ? `${kind}.${group}` : kind;
  return new ApiError(422, "Invalid", `${what} "${name}" is invalid: ${list}`, {
    name,
    group,
    kind,
    causes,
  });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, "BadRequest", message);
}

export function forbidden(
  user: string,
  verb: string,
  group: string,
  resource: string,
  namespace: string | undefined,
  name?: string,
): ApiError {
  const res = resource ? `resource "${resource}" in API group "${group}"` : "this resource";
  const scope = namespace ? ` in the namespace "${namespace}"` : " at the cluster scope";
  const what = name ? `${qualifiedResource(group, resource)} "${name}"` : qualifiedResource(
    group,
    resource,
  );
  return new ApiError(
    403,
    "Forbidden",
    `${what} is forbidden: User "${user}" cannot ${verb} ${res}${scope}`,
    { name, group, kind: resource },
  );
}

export function methodNotAllowed(): ApiError {
  return new ApiError(
    405,
    "MethodNotAllowed",
    "the server does not allow this method on the requested resource",
  );
}

export function internalError(message: string): ApiError {
  return new ApiError(500, "InternalError", `Internal error occurred: ${message}`);
}
