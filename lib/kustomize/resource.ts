// One object of the build with the bookkeeping kustomize keeps beside it: the ids it had before
// renames (for name references, patch targets and generator merges), the prefixes and suffixes
// each layer added, and the generator options that apply at the end (hash suffix, behavior).

export type KubeObject = Record<string, unknown>;

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

export interface ResId extends Gvk {
  name: string;
  namespace: string;
}

export type GeneratorBehavior = "create" | "merge" | "replace";

export function splitApiVersion(apiVersion: unknown): { group: string; version: string } {
  const s = typeof apiVersion === "string" ? apiVersion : "";
  const slash = s.lastIndexOf("/");
  return slash < 0 ? { group: "", version: s } : {
    group: s.slice(0, slash),
    version: s.slice(slash + 1),
  };
}

export function apiVersionOf(gvk: Gvk): string {
  return gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
}

export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Kubernetes treats "" and "default" as the same namespace for namespaced objects. */
export function effectiveNamespace(ns: string): string {
  return ns === "" ? "default" : ns;
}

export function idString(id: ResId): string {
  const g = id.group ? `${id.group}_` : "";
  const v = id.version ? `${id.version}_` : "";
  const ns = id.namespace ? `${id.namespace}/` : "";
  return `${g}${v}${id.kind}|${ns}${id.name}`;
}

/** What a user reads in messages: "Deployment.v1.apps/web.prod". */
export function describeId(id: ResId): string {
  const gv = [id.version, id.group].filter((s) => s).join(".");
  return `${id.kind}${gv ? "." + gv : ""}/${id.name}${id.namespace ? "." + id.namespace : ""}`;
}

export function sameId(a: ResId, b: ResId): boolean {
  return a.kind === b.kind && a.group === b.group && a.version === b.version && a.name === b.name &&
    effectiveNamespace(a.namespace) === effectiveNamespace(b.namespace);
}

/** A selector's empty fields match anything (kustomize's Gvk.IsSelected). */
export function gvkSelects(selector: Partial<Gvk>, gvk: Gvk): boolean {
  if (selector.group && selector.group !== gvk.group) return false;
  if (selector.version && selector.version !== gvk.version) return false;
  if (selector.kind && selector.kind !== gvk.kind) return false;
  return true;
}

export class Resource {
  /** Ids before each rename, oldest first (kustomize's previous-names annotations). */
  prevIds: ResId[] = [];
  namePrefixes: string[] = [];
  nameSuffixes: string[] = [];
  needsHashSuffix = false;
  behavior: GeneratorBehavior = "create";
  /** Set by a patch with options.allowNameChange / allowKindChange. */
  allowNameChange = false;
  allowKindChange = false;
  /** The file the object came from, relative to the root (for messages and origin annotations). */
  origin: string;
  /** Generators record what configured them (buildMetadata: originAnnotations). */
  generatedBy?: { file: string; kind: string };

  constructor(public obj: KubeObject, origin: string) {
    this.origin = origin;
  }

  get metadata(): Record<string, unknown> {
    let m = this.obj.metadata;
    if (!isMap(m)) {
      m = {};
      this.obj.metadata = m;
    }
    return m as Record<string, unknown>;
  }

  get kind(): string {
    return typeof this.obj.kind === "string" ? this.obj.kind : "";
  }

  get name(): string {
    const m = this.obj.metadata;
    return isMap(m) && typeof m.name === "string" ? m.name : "";
  }

  set name(value: string) {
    this.metadata.name = value;
  }

  get namespace(): string {
    const m = this.obj.metadata;
    return isMap(m) && typeof m.namespace === "string" ? m.namespace : "";
  }

  set namespace(value: string) {
    if (value === "") delete this.metadata.namespace;
    else this.metadata.namespace = value;
  }

  get gvk(): Gvk {
    return { ...splitApiVersion(this.obj.apiVersion), kind: this.kind };
  }

  /** A string equal for equal current ids ("" and "default" namespaces are the same). */
  idKey(): string {
    const o = this.obj;
    const m = isMap(o.metadata) ? o.metadata : {};
    const ns = typeof m.namespace === "string" && m.namespace !== "" ? m.namespace : "default";
    return `${o.apiVersion}|${o.kind}|${ns}|${m.name}`;
  }

  curId(): ResId {
    return { ...this.gvk, name: this.name, namespace: this.namespace };
  }

  orgId(): ResId {
    return this.prevIds[0] ?? this.curId();
  }

  /** Every id the object had or has: what patches, generator merges and replicas match against. */
  allIds(): ResId[] {
    return [...this.prevIds, this.curId()];
  }

  storePreviousId(): void {
    this.prevIds.push(this.curId());
  }

  labels(): Record<string, string> {
    const l = this.obj.metadata && (this.obj.metadata as Record<string, unknown>).labels;
    return isMap(l) ? (l as Record<string, string>) : {};
  }

  annotations(): Record<string, string> {
    const a = this.obj.metadata && (this.obj.metadata as Record<string, unknown>).annotations;
    return isMap(a) ? (a as Record<string, string>) : {};
  }

  clone(): Resource {
    const r = new Resource(structuredClone(this.obj), this.origin);
    r.prevIds = this.prevIds.map((id) => ({ ...id }));
    r.namePrefixes = [...this.namePrefixes];
    r.nameSuffixes = [...this.nameSuffixes];
    r.needsHashSuffix = this.needsHashSuffix;
    r.behavior = this.behavior;
    r.generatedBy = this.generatedBy;
    return r;
  }
}
