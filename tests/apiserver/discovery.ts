// Discovery documents: /api, /apis, /api/v1, /apis/<group>/<version>, in the legacy format and
// in the aggregated format (apidiscovery.k8s.io v2 and v2beta1) kubectl >= 1.26 asks for.
import type { Catalog, ResourceType } from "./catalog.ts";

export const AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
export const AGGREGATED_V2BETA1 =
  "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

/** Which aggregated discovery version the Accept header asks for, if any. */
export function wantsAggregated(accept: string | null): "v2" | "v2beta1" | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(",")) {
    const p = part.replace(/\s+/g, "");
    if (!p.includes("as=APIGroupDiscoveryList")) continue;
    if (p.includes("v=v2beta1")) return "v2beta1";
    if (p.includes("v=v2")) return "v2";
  }
  return undefined;
}

const VERSION_ORDER = (v: string): number => {
  const m = v.match(/^v(\d+)(?:(alpha|beta)(\d+))?$/);
  if (!m) return 0;
  const level = m[2] === undefined ? 3 : m[2] === "beta" ? 2 : 1;
  return level * 1e6 + Number(m[1]) * 1e3 + Number(m[3] ?? 0);
};

interface GroupInfo {
  name: string;
  versions: string[];
}

function groups(catalog: Catalog): GroupInfo[] {
  const byGroup = new Map<string, Set<string>>();
  for (const t of catalog.all()) {
    if (!byGroup.has(t.group)) byGroup.set(t.group, new Set());
    byGroup.get(t.group)!.add(t.version);
  }
  const out: GroupInfo[] = [];
  for (const [name, vs] of byGroup) {
    out.push({ name, versions: [...vs].sort((a, b) => VERSION_ORDER(b) - VERSION_ORDER(a)) });
  }
  return out;
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

export function apiGroupList(catalog: Catalog): Record<string, unknown> {
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: groups(catalog).filter((g) => g.name !== "").map((g) => ({
      name: g.name,
      versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${g.name}/${g.versions[0]}`, version: g.versions[0] },
    })),
  };
}

export function apiGroup(catalog: Catalog, name: string): Record<string, unknown> | undefined {
  const g = groups(catalog).find((x) => x.name === name);
  if (!g) return undefined;
  return {
    kind: "APIGroup",
    apiVersion: "v1",
    name,
    versions: g.versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${name}/${g.versions[0]}`, version: g.versions[0] },
  };
}

export function apiResourceList(
  catalog: Catalog,
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const types = catalog.all().filter((t) => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const t of types) {
    const r: Record<string, unknown> = {
      name: t.resource,
      singularName: t.singularName,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
    };
    if (t.shortNames.length > 0) r.shortNames = t.shortNames;
    if (t.categories.length > 0) r.categories = t.categories;
    resources.push(r);
    for (const [name, sub] of Object.entries(t.subresources)) {
      const s: Record<string, unknown> = {
        name: `${t.resource}/${name}`,
        singularName: "",
        namespaced: t.namespaced,
        kind: sub.kind,
        verbs: sub.verbs,
      };
      if (sub.group !== t.group || sub.version !== t.version) {
        s.group = sub.group;
        s.version = sub.version;
      }
      resources.push(s);
    }
  }
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}

function discoveryResource(t: ResourceType): Record<string, unknown> {
  const r: Record<string, unknown> = {
    resource: t.resource,
    responseKind: { group: t.group, version: t.version, kind: t.kind },
    scope: t.namespaced ? "Namespaced" : "Cluster",
    singularResource: t.singularName,
    verbs: t.verbs,
  };
  if (t.shortNames.length > 0) r.shortNames = t.shortNames;
  if (t.categories.length > 0) r.categories = t.categories;
  const subs = Object.entries(t.subresources).map(([name, s]) => ({
    subresource: name,
    responseKind: { group: s.group, version: s.version, kind: s.kind },
    verbs: s.verbs,
  }));
  if (subs.length > 0) r.subresources = subs;
  return r;
}

/** The aggregated discovery document for /api (core) or /apis (all named groups). */
export function aggregated(
  catalog: Catalog,
  core: boolean,
  version: "v2" | "v2beta1",
): Record<string, unknown> {
  const items = groups(catalog).filter((g) => (g.name === "") === core).map((g) => ({
    metadata: g.name ? { name: g.name } : {},
    versions: g.versions.map((v) => ({
      version: v,
      resources: catalog.all().filter((t) => t.group === g.name && t.version === v).map(
        discoveryResource,
      ),
      freshness: "Current",
    })),
  }));
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items,
  };
}
