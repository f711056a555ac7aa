// The APIs that answer without storing anything: access reviews (kubectl auth can-i), rules
// reviews, self-subject and token reviews, and TokenRequest for ServiceAccounts.
import type { Api } from "./api.ts";
import type { Authenticator, UserInfo } from "./auth/authn.ts";
import type { AuthzAttributes, RbacAuthorizer } from "./auth/rbac.ts";
import type { ResourceType } from "./catalog.ts";
import { meta, timestamp } from "./objects.ts";
import type { RequestInfo } from "./request_info.ts";
import { isObject, type JsonObject } from "./ssa/typed.ts";

export interface ReviewDeps {
  api: Api;
  authn: Authenticator;
  authz: RbacAuthorizer;
}

/** The review APIs (access reviews, token requests) answer without storing anything. */
export function answerReview(
  deps: ReviewDeps,
  rt: ResourceType,
  body: unknown,
  user: UserInfo,
  namespace: string | undefined,
  info: RequestInfo,
): JsonObject | undefined {
  const o = isObject(body) ? structuredClone(body) : {};
  const spec = isObject(o.spec) ? o.spec : {};
  const now = timestamp();
  if (rt.group === "authorization.k8s.io") {
    if (rt.resource === "selfsubjectrulesreview" || rt.resource === "selfsubjectrulesreviews") {
      const rules = deps.authz.rulesFor(user, String(spec.namespace ?? ""));
      return {
        ...o,
        apiVersion: rt.apiVersion,
        kind: rt.kind,
        metadata: { creationTimestamp: null },
        status: {
          resourceRules: rules.filter((r) => r.resources).map((r) => ({
            ...r,
          })) as unknown as JsonObject[],
          nonResourceRules: rules.filter((r) => r.nonResourceURLs).map((r) => ({
            verbs: r.verbs ?? [],
            nonResourceURLs: r.nonResourceURLs ?? [],
          })) as unknown as JsonObject[],
          incomplete: false,
        },
      };
    }
    const subject: UserInfo = rt.resource === "selfsubjectaccessreviews"
      ? user
      : { name: String(spec.user ?? ""), groups: (spec.groups as string[] | undefined) ?? [] };
    const ra = isObject(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
    const nra = isObject(spec.nonResourceAttributes) ? spec.nonResourceAttributes : undefined;
    const attrs: AuthzAttributes = ra
      ? {
        user: subject,
        verb: String(ra.verb ?? ""),
        isResourceRequest: true,
        path: "",
        namespace: rt.resource === "localsubjectaccessreviews"
          ? namespace
          : (ra.namespace as string | undefined) || undefined,
        apiGroup: String(ra.group ?? ""),
        resource: String(ra.resource ?? ""),
        subresource: (ra.subresource as string | undefined) || undefined,
        name: (ra.name as string | undefined) || undefined,
      }
      : {
        user: subject,
        verb: String(nra?.verb ?? ""),
        isResourceRequest: false,
        path: String(nra?.path ?? ""),
        apiGroup: "",
      };
    const d = deps.authz.authorize(attrs);
    const status: JsonObject = { allowed: d.allowed };
    if (d.reason && d.allowed) status.reason = d.reason;
    return {
      ...o,
      apiVersion: rt.apiVersion,
      kind: rt.kind,
      metadata: { creationTimestamp: null },
      status,
    };
  }
  if (rt.group === "authentication.k8s.io" && rt.resource === "selfsubjectreviews") {
    return {
      apiVersion: rt.apiVersion,
      kind: rt.kind,
      metadata: { creationTimestamp: now },
      status: { userInfo: { username: user.name, groups: user.groups } },
    };
  }
  if (rt.group === "authentication.k8s.io" && rt.resource === "tokenreviews") {
    const who = deps.authn.authenticate(`Bearer ${spec.token ?? ""}`);
    return {
      ...o,
      apiVersion: rt.apiVersion,
      kind: rt.kind,
      metadata: { creationTimestamp: null },
      status: who
        ? { authenticated: true, user: { username: who.name, groups: who.groups } }
        : { authenticated: false },
    };
  }
  if (rt.resource === "serviceaccounts" && info.subresource === "token") {
    const sa = deps.api.get(rt, namespace, info.name!);
    const token = deps.authn.issueServiceAccountToken({
      namespace: namespace ?? "",
      name: info.name!,
      uid: String(meta(sa).uid),
    });
    const seconds = Number(spec.expirationSeconds ?? 3600);
    return {
      kind: "TokenRequest",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { name: info.name!, namespace: namespace ?? "", creationTimestamp: null },
      spec: { ...spec, expirationSeconds: seconds },
      status: { token, expirationTimestamp: timestamp(Date.now() + seconds * 1000) },
    };
  }
  return undefined;
}
