// Which resources the emulator serves: the GA built-ins of Kubernetes 1.34 (from
// data/resources.json, vendored from ../shared/k8s) plus the resources of established
// CustomResourceDefinitions.
import { readJson } from "./k8s_data.ts";

export interface SubresourceType {
  verbs: string[];
  group: string;
  version: string;
  kind: string;
}

export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  required?: string[];
  "x-kubernetes-list-type"?: string;
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: string;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
  [key: string]: unknown;
}

export interface ResourceType {
  group: string;
  version: string;
  apiVersion: string;
  kind: string;
  listKind: string;
  resource: string;
  singularName: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
  subresources: Record<string, SubresourceType>;
  /** OpenAPI v2 definition name of a built-in, e.g. io.k8s.api.apps.v1.Deployment. */
  definition?: string;
  /** openAPIV3Schema of a CRD version. */
  crdSchema?: JsonSchema;
  /** For CRDs: the name of the CRD object that serves this resource. */
  crdName?: string;
  preferred: boolean;
}

interface ResourceEntry {
  group: string;
  version: string;
  apiVersion: string;
  kind: string;
  resource: string;
  singularName: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
  subresourceDetails: Record<string, SubresourceType>;
  isPreferredVersion: boolean;
  stability: string;
  definition: string;
}

let builtInsCache: ResourceType[] | undefined;

/** Subresources the emulator actually answers; the others (exec, proxy...) need a kubelet. */
const SERVED_SUBRESOURCES = new Set(["status", "scale"]);

function loadBuiltIns(): ResourceType[] {
  if (builtInsCache) return builtInsCache;
  const entries = readJson<ResourceEntry[]>("resources.json");
  // A default 1.34 cluster serves only the GA versions (alpha and post-1.24 betas are off).
  builtInsCache = entries.filter((e) => e.stability === "ga").map((e) => {
    const subresources: Record<string, SubresourceType> = {};
    for (const [name, sub] of Object.entries(e.subresourceDetails)) {
      if (SERVED_SUBRESOURCES.has(name)) subresources[name] = sub;
    }
    return {
      group: e.group,
      version: e.version,
      apiVersion: e.apiVersion,
      kind: e.kind,
      listKind: `${e.kind}List`,
      resource: e.resource,
      singularName: e.singularName,
      namespaced: e.namespaced,
      verbs: e.verbs,
      shortNames: e.shortNames,
      categories: e.categories,
      subresources,
      definition: e.definition,
      preferred: e.isPreferredVersion,
    };
  });
  return builtInsCache;
}

/** The group/resource under which objects of all versions of a resource are stored together. */
export function storageKey(group: string, resource: string): string {
  return `${resource}.${group}`;
}

export class Catalog {
  #builtIns = loadBuiltIns();
  #crds = new Map<string, ResourceType[]>();
  #version = 0;

  /** Bumped whenever the set of served resources changes (discovery caches key on it). */
  get version(): number {
    return this.#version;
  }

  all(): ResourceType[] {
    const out = [...this.#builtIns];
    for (const list of this.#crds.values()) out.push(...list);
    return out;
  }

  find(group: string, version: string, resource: string): ResourceType | undefined {
    for (const t of this.#builtIns) {
      if (t.group === group && t.version === version && t.resource === resource) return t;
    }
    for (const list of this.#crds.values()) {
      for (const t of list) {
        if (t.group === group && t.version === version && t.resource === resource) return t;
      }
    }
    return undefined;
  }

  findKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.all().find((t) => t.apiVersion === apiVersion && t.kind === kind);
  }

  /** Every served version of a group/resource, preferred first. */
  versionsOf(group: string, resource: string): ResourceType[] {
    return this.all().filter((t) => t.group === group && t.resource === resource)
      .sort((a, b) => Number(b.preferred) - Number(a.preferred));
  }

  hasGroupVersion(group: string, version: string): boolean {
    return this.all().some((t) => t.group === group && t.version === version);
  }

  setCrd(crdName: string, types: ResourceType[]): void {
    this.#crds.set(crdName, types);
    this.#version++;
  }

  removeCrd(crdName: string): void {
    if (this.#crds.delete(crdName)) this.#version++;
  }

  isCrdServed(crdName: string): boolean {
    return this.#crds.has(crdName);
  }
}
