// The HTTP face of the emulator: authentication, impersonation, RBAC, faults, then discovery,
// OpenAPI, and the resource verbs (with Table output, watch streams and the review APIs).
import type { Api, WriteOptions } from "./api.ts";
import { type Authenticator, serviceAccountUser, type UserInfo } from "./auth/authn.ts";
import type { AuthzAttributes, RbacAuthorizer } from "./auth/rbac.ts";
import type { Catalog, ResourceType } from "./catalog.ts";
import type { Faults, WatchEnd } from "./faults.ts";
import { CLIENT_CERT_HEADER } from "./https_server.ts";
import { meta } from "./objects.ts";
import { serveNonResource } from "./non_resource.ts";
import { parseRequestInfo, type RequestInfo } from "./request_info.ts";
import { deleteOptions, managerFromUserAgent, patchTypeOf, readBody } from "./request_body.ts";
import { answerReview } from "./reviews.ts";
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

/** Warnings travel as `Warning: 299 - "text"` headers, which kubectl prints. */
function withWarnings(res: Response, warnings: string[] | undefined): Response {
  for (const w of warnings ?? []) res.headers.append("warning", `299 - ${JSON.stringify(w)}`);
  return res;
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
      return await this.#serve(req, url, info, fault.kind === "none" ? fault.watchEnd : undefined);
    } catch (e) {
      if (e instanceof ApiError) return errorResponse(e);
      const message = e instanceof Error ? e.message : String(e);
      return errorResponse(
        new ApiError(500, "InternalError", `Internal error occurred: ${message}`),
      );
    }
  }

  #authenticate(req: Request, info: RequestInfo): UserInfo {
    const user = this.p.authn.authenticate(
      req.headers.get("authorization"),
      req.headers.get(CLIENT_CERT_HEADER),
    );
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
    const check = (
      attrs: Omit<AuthzAttributes, "user" | "verb" | "isResourceRequest" | "path">,
    ) => {
      const a: AuthzAttributes = {
        user,
        verb: "impersonate",
        isResourceRequest: true,
        path: "",
        ...attrs,
      };
      if (!this.p.authz.authorize(a).allowed) {
        throw forbidden(
          user.name,
          "impersonate",
          a.apiGroup,
          a.resource ?? "",
          a.namespace,
          a.name,
        );
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
        throw new ApiError(
          403,
          "Forbidden",
          `forbidden: User "${user.name}" cannot ${info.verb} path "${info.path}"`,
        );
      }
      return;
    }
    if (!this.p.authz.authorize(a).allowed) {
      const resource = info.subresource
        ? `${info.resource}/${info.subresource}`
        : info.resource ?? "";
      throw forbidden(user.name, info.verb, info.apiGroup, resource, info.namespace, info.name);
    }
  }

  async #serve(
    req: Request,
    url: URL,
    info: RequestInfo,
    watchEnd?: WatchEnd,
  ): Promise<Response> {
    const user = this.#authenticate(req, info);
    if (!info.isResourceRequest || !info.resource) {
      if (
        info.path !== "/api" && info.path !== "/apis" && !info.path.startsWith("/api/") &&
        !info.path.startsWith("/apis/")
      ) {
        this.#authorize(user, info);
      }
      return await serveNonResource(
        info.path,
        req.headers.get("accept"),
        this.p.catalog,
        this.p.serverAddress(),
      );
    }
    this.#authorize(user, info);
    const rt = this.p.catalog.find(info.apiGroup, info.apiVersion, info.resource);
    if (!rt) {
      throw new ApiError(404, "NotFound", "the server could not find the requested resource");
    }
    if (
      info.subresource && !(info.subresource in rt.subresources) &&
      !(info.subresource === "token" && rt.resource === "serviceaccounts")
    ) {
      throw new ApiError(404, "NotFound", "the server could not find the requested resource");
    }
    const verbs = info.subresource
      ? rt.subresources[info.subresource]?.verbs ?? ["create"]
      : rt.verbs;
    if (!verbs.includes(info.verb)) throw methodNotAllowed();
    return await this.#resource(req, url, info, rt, user, watchEnd);
  }

  #writeOptions(url: URL, info: RequestInfo): WriteOptions {
    const dryRun = url.searchParams.getAll("dryRun");
    if (dryRun.some((d) => d !== "All")) {
      throw badRequest(`Invalid dry run value: ${dryRun.join(",")}; the only valid value is All`);
    }
    const manager = url.searchParams.get("fieldManager");
    if (manager && manager.length > 128) {
      throw badRequest("fieldManager: Too long: may not be longer than 128");
    }
    const force = url.searchParams.get("force");
    const validation = url.searchParams.get("fieldValidation") ?? "Warn";
    if (!["Strict", "Warn", "Ignore"].includes(validation)) {
      throw badRequest(
        `fieldValidation: Unsupported value: "${validation}": supported values: "Ignore", "Strict", "Warn"`,
      );
    }
    return {
      fieldValidation: validation as WriteOptions["fieldValidation"],
      warnings: [],
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
    watchEnd: WatchEnd | undefined,
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
          return json(
            toTable(
              rt,
              [o],
              String(meta(o).resourceVersion),
              params.get("includeObject"),
              this.p.crdPrinterColumns(rt),
            ),
          );
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
          return json(
            toTable(
              rt,
              r.items,
              r.resourceVersion,
              params.get("includeObject"),
              this.p.crdPrinterColumns(rt),
              r.continueToken,
            ),
          );
        }
        const listMeta: JsonObject = { resourceVersion: r.resourceVersion };
        if (r.continueToken) listMeta.continue = r.continueToken;
        if (r.remainingItemCount !== undefined) listMeta.remainingItemCount = r.remainingItemCount;
        return json({
          kind: rt.listKind,
          apiVersion: rt.apiVersion,
          metadata: listMeta,
          items: r.items,
        });
      }
      case "watch": {
        const stream = this.p.watches.open({
          rt,
          namespace: ns,
          name: info.name,
          params,
          end: watchEnd,
        });
        return new Response(stream, {
          headers: {
            "content-type": JSON_TYPE,
            "transfer-encoding": "chunked",
            "cache-control": "no-cache",
          },
        });
      }
      case "create": {
        const body = await readBody(req, false, this.#bodyType(rt, info));
        const opts = this.#writeOptions(url, info);
        if (!opts.fieldManager) {
          opts.fieldManager = managerFromUserAgent(req.headers.get("user-agent"));
        }
        const review = answerReview(this.p, rt, body, user, ns, info);
        if (review) return json(review, 201);
        const o = api.create(rt, ns, body, opts);
        this.#countWrite(opts.dryRun);
        return withWarnings(json(o, 201), opts.warnings);
      }
      case "update": {
        const body = await readBody(req, false, this.#bodyType(rt, info));
        const opts = this.#writeOptions(url, info);
        if (!opts.fieldManager) {
          opts.fieldManager = managerFromUserAgent(req.headers.get("user-agent"));
        }
        if (info.subresource === "scale") {
          const spec = isObject(body) && isObject(body.spec) ? body.spec : {};
          const o = setScale(api, rt, ns, info.name!, Number(spec.replicas ?? 0), opts);
          this.#countWrite(opts.dryRun);
          return json(scaleOf(rt, o));
        }
        const o = api.update(rt, ns, info.name!, body, opts);
        this.#countWrite(opts.dryRun);
        return withWarnings(json(o), opts.warnings);
      }
      case "patch": {
        const type = patchTypeOf(req.headers.get("content-type"));
        if (!type) {
          throw new ApiError(
            415,
            "UnsupportedMediaType",
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
          );
        }
        const body = await readBody(req, type === "apply");
        const opts = this.#writeOptions(url, info);
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
        return withWarnings(json(r.object, r.created ? 201 : 200), opts.warnings);
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
            details: {
              name: info.name,
              group: rt.group,
              kind: rt.resource,
              uid: meta(r.object).uid,
            },
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
    const t = this.p.catalog.findKind(
      sub.group ? `${sub.group}/${sub.version}` : sub.version,
      sub.kind,
    );
    if (t) return t;
    if (sub.kind === "Scale") return { ...rt, definition: "io.k8s.api.autoscaling.v1.Scale" };
    return rt;
  }
}
