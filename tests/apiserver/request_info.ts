// What an API request is about, parsed from its method and path the way kube-apiserver's
// RequestInfoFactory does: verb, group/version, namespace, resource, name, subresource.

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  verb: string;
  apiGroup: string;
  apiVersion: string;
  namespace?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  /** The path segments after the group/version, for discovery requests. */
  parts: string[];
}

const VERB_BY_METHOD: Record<string, string> = {
  POST: "create",
  PUT: "update",
  PATCH: "patch",
  GET: "get",
  HEAD: "get",
  DELETE: "delete",
};

export function parseRequestInfo(method: string, url: URL): RequestInfo {
  const path = url.pathname;
  const segments = path.split("/").filter((s) => s.length > 0).map(decodeURIComponent);
  const nonResource: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiGroup: "",
    apiVersion: "",
    parts: segments,
  };
  let rest: string[];
  let apiGroup = "";
  let apiVersion: string;
  if (segments[0] === "api" && segments.length >= 2) {
    apiVersion = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === "apis" && segments.length >= 3) {
    apiGroup = segments[1];
    apiVersion = segments[2];
    rest = segments.slice(3);
  } else {
    return nonResource;
  }
  if (rest.length === 0) return { ...nonResource, apiGroup, apiVersion, parts: [] };
  let watchPath = false;
  if (rest[0] === "watch") {
    watchPath = true;
    rest = rest.slice(1);
  }
  const info: RequestInfo = {
    isResourceRequest: true,
    path,
    verb: VERB_BY_METHOD[method] ?? method.toLowerCase(),
    apiGroup,
    apiVersion,
    parts: rest,
  };
  const namespaceSubresource = rest[0] === "namespaces" && rest.length === 3 &&
    (rest[2] === "status" || rest[2] === "finalize");
  if (rest[0] === "namespaces" && !namespaceSubresource) {
    if (rest.length > 2) {
      info.namespace = rest[1];
      rest = rest.slice(2);
    } else {
      // /namespaces or /namespaces/{name}: the namespace resource itself.
      if (rest.length === 2) info.namespace = rest[1];
    }
  }
  info.resource = rest[0];
  if (rest.length >= 2) info.name = rest[1];
  if (rest.length >= 3) info.subresource = rest[2];
  // The namespace resource addresses itself by name.
  if (info.resource === "namespaces" && rest.length <= 2 && info.namespace && !info.name) {
    info.name = info.namespace;
  }
  if (info.resource === "namespaces" && info.name) info.namespace = info.name;
  if (method === "GET" || method === "HEAD") {
    if (!info.name) {
      info.verb = watchPath || isWatch(url) ? "watch" : "list";
    } else if (watchPath || isWatch(url)) {
      info.verb = "watch";
    }
  }
  if (method === "DELETE" && !info.name) info.verb = "deletecollection";
  return info;
}

function isWatch(url: URL): boolean {
  const w = url.searchParams.get("watch");
  return w === "true" || w === "1";
}
