// The HTTP face of the emulator: authentication, impersonation, RBAC, faults, then discovery,
// OpenAPI, and the resource verbs (with Table output, watch streams and the review APIs).
import { parseOne } from "../../lib/yaml/mod.ts";
import type { Api, DeleteOptions, PatchType, WriteOptions } from "./api.ts";
import { type Authenticator, serviceAccountUser, type UserInfo } from "./auth/authn.ts";
import type { AuthzAttributes, RbacAuthorizer } from "./auth/rbac.ts";
import type { Catalog, ResourceType } from "./catalog.ts";
import {
  aggregated,
  AGGREGATED_V2,
  AGGREGATED_V2BETA1,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  wantsAggregated,
} from "./discovery.ts";
import type { Faults } from "./faults.ts";
import { meta, timestamp } from "./objects.ts";
import { v2Json, v2Protobuf, v3Document, v3Root } from "./openapi.ts";
import { decodeEnvelope, messageNameOf } from "./protobuf/decode.ts";
import { parseRequestInfo, type RequestInfo } from "./request_info.ts";
import { scaleOf, setScale } from "./scale.ts";
import { isObject, type JsonObject } from "./ssa/typed.ts";
import { ApiError, badRequest, forbidden, methodNotAllowed, notFound } from "./status.ts";
import { toTable, wantsTable } from "./table.ts";
import type { Watches } from "./watch.ts";

export interface Stats {
  requests: number;
  writes: number;
  byVerb: Record<string, number>;
}

export interface ServerParts {
  api: Api;
  catalog: Catalog;
  authn: Authenticator;
  authz: RbacAuthorizer;
  faults: Faults;
  watches: Watches;
  stats: Stats;
  serverAddress: () => string;
  admin: (req: Request, url: URL) => Promise<Response>;
  crdPrinterColumns: (rt: ResourceType) => JsonObject[] | undefined;
}

const JSON_TYPE = "application/json";
const PUBLIC_PATHS = new Set(["/healthz", "/livez", "/readyz", "/version", "/version/"]);

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": JSON_TYPE, ...headers },
  });
}

function errorResponse(e: ApiError, retryAfter?: number): Response {
  const headers: Record<string, string> = {};
  const after = retryAfter ?? e.details?.retryAfterSeconds;
  if (after !== undefined) headers["retry-after"] = String(after);
  return json(e.toStatus(), e.code, headers);
}

function droppedConnection(): Response {
  // An erroring body makes the server abort the connection mid-response.
  const body = new ReadableStream({
    start(c) {
      c.error(new Error("connection dropped by an injected fault"));
    },
  });
  return new Response(body, { status: 200, headers: { "content-type": JSON_TYPE } });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function managerFromUserAgent(ua: string | null): string {
  if (!ua) return "unknown";
  const first = ua.split("/")[0].trim();
  return first.slice(0, 128) || "unknown";
}

function patchTypeOf(contentType: string | null): PatchType | undefined {
  const ct = (contentType ?? "").split(";")[0].trim();
  switch (ct) {
    case "application/merge-patch+json":
      return "merge";
    case "application/json-patch+json":
      return "json";
    case "application/strategic-merge-patch+json":
      return "strategic";
    case "application/apply-patch+yaml":
    case "application/apply-patch+cbor":
      return "apply";
  }
  return undefined;
}

async function readBody(req: Request, yaml = false, rt?: ResourceType): Promise<unknown> {
  const ct = req.headers.get("content-type") ?? "";
  if (ct.includes("application/vnd.kubernetes.protobuf") && rt) {
    const bytes = new Uint8Array(await req.arrayBuffer());
    if (bytes.length === 0) return undefined;
    const definition = rt.definition;
    if (!definition) {
      throw new ApiError(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`);
    }
    try {
      return decodeEnvelope(bytes, messageNameOf(definition)).object;
    } catch (e) {
      throw badRequest(`error decoding the protobuf request body: ${e instanceof Error ? e.message : e}`);
    }
  }
  const text = await req.text();
  if (text.trim() === "") return undefined;
  if (ct.includes("protobuf") || ct.includes("cbor")) {
    throw new ApiError(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`);
  }
  try {
    if (yaml || ct.includes("yaml")) return parseOne(text);
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`error decoding the request body: ${e instanceof Error ? e.message : e}`);
  }
}

export class Server {
  constructor(private readonly p: ServerParts) {}

  async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    if (url.pathname.startsWith("/_emulator/")) return await this.p.admin(req, url);
    const info = parseRequestInfo(req.method, url);
    const stats = this.p.stats;
    stats.requests++;
    stats.byVerb[info.verb] = (stats.byVerb[info.verb] ?? 0) + 1;
    const fault = this.p.faults.decide(info.verb, info.resource, info.namespace);
    if (fault.delayMs > 0) await sleep(fault.delayMs);
    if (fault.kind === "drop") return droppedConnection();
    if (fault.kind === "error") return errorResponse(fault.error, fault.retryAfterSeconds);
    try {
      return await this.#serve(req, url, info);
    } catch (e) {
      if (e instanceof ApiError) return errorResponse(e);
      const message = e instanceof Error ? e.message : String(e);
      return errorResponse(new ApiError(500, "InternalError", `Internal error occurred: ${message}`));
    }
  }

  #authenticate(req: Request, info: RequestInfo): UserInfo {
    const user = this.p.authn.authenticate(req.headers.get("authorization"));
    if (user) return this.#impersonate(req, user);
    if (!info.isResourceRequest && PUBLIC_PATHS.has(info.path)) {
      return { name: "system:anonymous", groups: ["system:unauthenticated"] };
    }
    throw new ApiError(401, "Unauthorized", "Unauthorized");
  }

  #impersonate(req: Request, user: UserInfo): UserInfo {
    const asUser = req.headers.get("impersonate-user");
    const asGroups = req.headers.get("impersonate-group");
    if (!asUser && !asGroups) return user;
    if (!asUser) throw badRequest("requested impersonation of groups without a user");
    const check = (attrs: Omit<AuthzAttributes, "user" | "verb" | "isResourceRequest" | "path">) => {
      const a: AuthzAttributes = { user, verb: "impersonate", isResourceRequest: true, path: "", ...attrs };
      if (!this.p.authz.authorize(a).allowed) {
        throw forbidden(user.name, "impersonate", a.apiGroup, a.resource ?? "", a.namespace, a.name);
      }
    };
    const sa = asUser.match(/^system:serviceaccount:([^:]+):([^:]+)$/);
    if (sa) check({ apiGroup: "", resource: "serviceaccounts", namespace: sa[1], name: sa[2] });
    else check({ apiGroup: "", resource: "users", name: asUser });
    const groups = asGroups ? asGroups.split(",").map((g) => g.trim()).filter((g) => g) : [];
    for (const g of groups) check({ apiGroup: "", resource: "groups", name: g });
    const all = sa && groups.length === 0
      ? serviceAccountUser({ namespace: sa[1], name: sa[2], uid: "" }).groups
      : [...groups];
    if (asUser !== "system:anonymous" && !all.includes("system:authenticated")) {
      all.push("system:authenticated");
    }
    return { name: asUser, groups: all };
  }

  #authorize(user: UserInfo, info: RequestInfo): void {
    const a: AuthzAttributes = {
      user,
      verb: info.verb,
      isResourceRequest: info.isResourceRequest && !!info.resource,
      path: info.path,
      namespace: info.namespace,
      apiGroup: info.apiGroup,
      resource: info.resource,
      subresource: info.subresource,
      name: info.name,
    };
    if (!a.isResourceRequest) {
      if (PUBLIC_PATHS.has(info.path)) return;
      if (!this.p.authz.authorize(a).allowed) {
        throw new ApiError(403, "Forbidden", `forbidden: User "${user.name}" cannot ${info.verb} path "${info.path}"`);
      }
      return;
    }
    if (!this.p.authz.authorize(a).allowed) {
      const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource ?? "";
      throw forbidden(user.name, info.verb, info.apiGroup, resource, info.namespace, info.name);
    }
  }

  async #serve(req: Request, url: URL, info: RequestInfo): Promise<Response> {
    const user = this.#authenticate(req, info);
    if (!info.isResourceRequest || !info.resource) {
      if (info.path !== "/api" && info.path !== "/apis" && !info.path.startsWith("/api/") && !info.path.startsWith("/apis/")) {
        this.#authorize(user, info);
      }
      return await this.#nonResource(req, url, info);
    }
    this.#authorize(user, info);
    const rt = this.p.catalog.find(info.apiGroup, info.apiVersion, info.resource);
    if (!rt) throw new ApiError(404, "NotFound", "the server could not find the requested resource");
    if (info.subresource && !(info.subresource in rt.subresources) && !(info.subresource === "token" && rt.resource === "serviceaccounts")) {
      throw new ApiError(404, "NotFound", "the server could not find the requested resource");
    }
    const verbs = info.subresource ? rt.subresources[info.subresource]?.verbs ?? ["create"] : rt.verbs;
    if (!verbs.includes(info.verb)) throw methodNotAllowed();
    return await this.#resource(req, url, info, rt, user);
  }

  async #nonResource(req: Request, url: URL, info: RequestInfo): Promise<Response> {
    const path = info.path.replace(/\/$/, "") || "/";
    const accept = req.headers.get("accept");
    const catalog = this.p.catalog;
    if (path === "/healthz" || path === "/livez" || path === "/readyz") {
      return new Response("ok", { headers: { "content-type": "text/plain" } });
    }
    if (path === "/version") {
      return json({
        major: "1",
        minor: "34",
        emulationMajor: "1",
        emulationMinor: "34",
        gitVersion: "v1.34.0",
        gitCommit: "0000000000000000000000000000000000000000",
        gitTreeState: "clean",
        buildDate: "2025-08-27T00:00:00Z",
        goVersion: "go1.24.6",
        compiler: "gc",
        platform: "linux/amd64",
      });
    }
    if (path === "/api" || path === "/apis") {
      const agg = wantsAggregated(accept);
      if (agg) {
        return json(aggregated(catalog, path === "/api", agg), 200, {
          "content-type": agg === "v2" ? AGGREGATED_V2 : AGGREGATED_V2BETA1,
          vary: "Accept",
        });
      }
      return json(path === "/api" ? apiVersions(this.p.serverAddress()) : apiGroupList(catalog));
    }
    const apisGroup = path.match(/^\/apis\/([^/]+)$/);
    if (apisGroup) {
      const g = apiGroup(catalog, apisGroup[1]);
      if (g) return json(g);
    }
    const gv = path.match(/^\/api\/(v1)$/) ?? path.match(/^\/apis\/([^/]+\/[^/]+)$/);
    if (gv) {
      const [group, version] = gv[1].includes("/") ? gv[1].split("/") : ["", gv[1]];
      const list = apiResourceList(catalog, group, version);
      if (list) return json(list);
    }
    if (path === "/openapi/v3") return json(await v3Root(catalog));
    if (path.startsWith("/openapi/v3/")) {
      const doc = v3Document(catalog, path.slice("/openapi/v3/".length));
      if (doc) {
        return new Response(doc as Uint8Array<ArrayBuffer>, {
          headers: { "content-type": JSON_TYPE, "cache-control": "public, immutable" },
        });
      }
    }
    if (path === "/openapi/v2") {
      if (accept && accept.includes("protobuf") && !accept.includes("application/json")) {
        const pb = v2Protobuf();
        if (!pb) {
          throw new ApiError(406, "NotAcceptable", "only application/json is served for /openapi/v2");
        }
        return new Response(pb as Uint8Array<ArrayBuffer>, {
          headers: { "content-type": "application/com.github.proto-openapi.spec.v2.v1.0+protobuf" },
        });
      }
      return new Response(v2Json() as Uint8Array<ArrayBuffer>, { headers: { "content-type": JSON_TYPE } });
    }
    void url;
    throw new ApiError(404, "NotFound", "the server could not find the requested resource");
  }

  #writeOptions(req: Request, url: URL, info: RequestInfo): WriteOptions {
    const dryRun = url.searchParams.getAll("dryRun");
    if (dryRun.some((d) => d !== "All")) {
      throw badRequest(`Invalid dry run value: ${dryRun.join(",")}; the only valid value is All`);
    }
    const manager = url.searchParams.get("fieldManager");
    if (manager && manager.length > 128) {
      throw badRequest("fieldManager: Too long: may not be longer than 128");
    }
    const force = url.searchParams.get("force");
    return {
      dryRun: dryRun.length > 0,
      fieldManager: manager ?? "",
      force: force === "true" || force === "1",
      subresource: info.subresource,
    };
  }

  #countWrite(dryRun: boolean | undefined): void {
    if (!dryRun) this.p.stats.writes++;
  }

  async #resource(
    req: Request,
    url: URL,
    info: RequestInfo,
    rt: ResourceType,
    user: UserInfo,
  ): Promise<Response> {
    const api = this.p.api;
    const params = url.searchParams;
    const ns = rt.namespaced ? info.namespace : undefined;
    if (rt.namespaced && !ns && info.name) throw notFound(rt.group, rt.resource, info.name);
    const accept = req.headers.get("accept");
    switch (info.verb) {
      case "get": {
        const o = api.get(rt, ns, info.name!);
        if (info.subresource === "scale") return json(scaleOf(rt, o));
        if (wantsTable(accept)) {
          return json(toTable(rt, [o], String(meta(o).resourceVersion), params.get("includeObject"), this.p.crdPrinterColumns(rt)));
        }
        return json(o);
      }
      case "list": {
        const limit = Number(params.get("limit") ?? "0");
        const r = api.list(rt, ns, {
          labelSelector: params.get("labelSelector"),
          fieldSelector: params.get("fieldSelector"),
          limit: limit > 0 ? limit : undefined,
          continueToken: params.get("continue"),
        });
        if (wantsTable(accept)) {
          return json(toTable(rt, r.items, r.resourceVersion, params.get("includeObject"), this.p.crdPrinterColumns(rt), r.continueToken));
        }
        const listMeta: JsonObject = { resourceVersion: r.resourceVersion };
        if (r.continueToken) listMeta.continue = r.continueToken;
        if (r.remainingItemCount !== undefined) listMeta.remainingItemCount = r.remainingItemCount;
        return json({ kind: rt.listKind, apiVersion: rt.apiVersion, metadata: listMeta, items: r.items });
      }
      case "watch": {
        const stream = this.p.watches.open({ rt, namespace: ns, name: info.name, params });
        return new Response(stream, {
          headers: { "content-type": JSON_TYPE, "transfer-encoding": "chunked", "cache-control": "no-cache" },
        });
      }
      case "create": {
        const body = await readBody(req, false, this.#bodyType(rt, info));
        const opts = this.#writeOptions(req, url, info);
        if (!opts.fieldManager) opts.fieldManager = managerFromUserAgent(req.headers.get("user-agent"));
        const review = this.#review(rt, body, user, ns, info);
        if (review) return json(review, 201);
        const o = api.create(rt, ns, body, opts);
        this.#countWrite(opts.dryRun);
        return json(o, 201);
      }
      case "update": {
        const body = await readBody(req, false, this.#bodyType(rt, info));
        const opts = this.#writeOptions(req, url, info);
        if (!opts.fieldManager) opts.fieldManager = managerFromUserAgent(req.headers.get("user-agent"));
        if (info.subresource === "scale") {
          const spec = isObject(body) && isObject(body.spec) ? body.spec : {};
          const o = setScale(api, rt, ns, info.name!, Number(spec.replicas ?? 0), opts);
          this.#countWrite(opts.dryRun);
          return json(scaleOf(rt, o));
        }
        const o = api.update(rt, ns, info.name!, body, opts);
        this.#countWrite(opts.dryRun);
        return json(o);
      }
      case "patch": {
        const type = patchTypeOf(req.headers.get("content-type"));
        if (!type) {
          throw new ApiError(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
        }
        const body = await readBody(req, type === "apply");
        const opts = this.#writeOptions(req, url, info);
        if (type !== "apply" && !opts.fieldManager) {
          opts.fieldManager = managerFromUserAgent(req.headers.get("user-agent"));
        }
        if (type !== "apply" && opts.force) {
          throw badRequest("force: Forbidden: may not be specified for non-apply patch");
        }
        if (info.subresource === "scale") {
          const current = scaleOf(rt, api.get(rt, ns, info.name!));
          const { applyMergePatch } = await import("./patch/merge_patch.ts");
          const patched = applyMergePatch(current, body as JsonObject) as JsonObject;
          const spec = isObject(patched.spec) ? patched.spec : {};
          const o = setScale(api, rt, ns, info.name!, Number(spec.replicas ?? 0), opts);
          this.#countWrite(opts.dryRun);
          return json(scaleOf(rt, o));
        }
        const r = api.patch(rt, ns, info.name!, type, body, opts);
        this.#countWrite(opts.dryRun);
        return json(r.object, r.created ? 201 : 200);
      }
      case "delete": {
        const body = await readBody(req).catch(() => undefined);
        const opts = deleteOptions(body, params);
        const r = api.delete(rt, ns, info.name!, opts);
        this.#countWrite(opts.dryRun);
        if (r.deleted) {
          return json({
            kind: "Status",
            apiVersion: "v1",
            metadata: {},
            status: "Success",
            details: { name: info.name, group: rt.group, kind: rt.resource, uid: meta(r.object).uid },
          });
        }
        return json(r.object, 200);
      }
      case "deletecollection": {
        const body = await readBody(req).catch(() => undefined);
        const opts = deleteOptions(body, params);
        const deleted = api.deleteCollection(rt, ns, {
          labelSelector: params.get("labelSelector"),
          fieldSelector: params.get("fieldSelector"),
        }, opts);
        this.#countWrite(opts.dryRun);
        return json({ kind: rt.listKind, apiVersion: rt.apiVersion, metadata: {}, items: deleted });
      }
    }
    throw methodNotAllowed();
  }

  /** The resource type whose message a request body carries (subresources may differ). */
  #bodyType(rt: ResourceType, info: RequestInfo): ResourceType | undefined {
    const sub = info.subresource ? rt.subresources[info.subresource] : undefined;
    if (!sub) {
      if (info.subresource === "token") {
        return { ...rt, definition: "io.k8s.api.authentication.v1.TokenRequest" };
      }
      return rt;
    }
    const t = this.p.catalog.findKind(sub.group ? `${sub.group}/${sub.version}` : sub.version, sub.kind);
    if (t) return t;
    if (sub.kind === "Scale") return { ...rt, definition: "io.k8s.api.autoscaling.v1.Scale" };
    return rt;
  }

  /** The review APIs (access reviews, token requests) answer without storing anything. */
  #review(
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
        const rules = this.p.authz.rulesFor(user, String(spec.namespace ?? ""));
        return {
          ...o,
          apiVersion: rt.apiVersion,
          kind: rt.kind,
          metadata: { creationTimestamp: null },
          status: {
            resourceRules: rules.filter((r) => r.resources).map((r) => ({ ...r })) as unknown as JsonObject[],
            nonResourceRules: rules.filter((r) => r.nonResourceURLs).map((r) => ({ verbs: r.verbs ?? [], nonResourceURLs: r.nonResourceURLs ?? [] })) as unknown as JsonObject[],
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
          namespace: rt.resource === "localsubjectaccessreviews" ? namespace : (ra.namespace as string | undefined) || undefined,
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
      const d = this.p.authz.authorize(attrs);
      const status: JsonObject = { allowed: d.allowed };
      if (d.reason && d.allowed) status.reason = d.reason;
      return { ...o, apiVersion: rt.apiVersion, kind: rt.kind, metadata: { creationTimestamp: null }, status };
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
      const who = this.p.authn.authenticate(`Bearer ${spec.token ?? ""}`);
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
      const sa = this.p.api.get(rt, namespace, info.name!);
      const token = this.p.authn.issueServiceAccountToken({
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
}

function deleteOptions(body: unknown, params: URLSearchParams): DeleteOptions {
  const b = isObject(body) ? body : {};
  const dryRun = [...params.getAll("dryRun"), ...((b.dryRun as string[] | undefined) ?? [])];
  const policy = (params.get("propagationPolicy") ?? b.propagationPolicy) as
    | DeleteOptions["propagationPolicy"]
    | undefined;
  if (policy && !["Foreground", "Background", "Orphan"].includes(policy)) {
    throw badRequest(`propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  const orphan = b.orphanDependents === true ? "Orphan" : undefined;
  const pre = isObject(b.preconditions) ? b.preconditions : undefined;
  return {
    dryRun: dryRun.length > 0,
    propagationPolicy: policy ?? orphan,
    preconditions: pre
      ? { uid: pre.uid as string | undefined, resourceVersion: pre.resourceVersion as string | undefined }
      : undefined,
    gracePeriodSeconds: b.gracePeriodSeconds as number | undefined,
  };
}
