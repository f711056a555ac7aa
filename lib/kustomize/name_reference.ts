// Name references: after all renames (prefixes, suffixes, namespaces, hash suffixes), every field
// that names another object (a Deployment's ConfigMap volume, a RoleBinding's roleRef, an HPA's
// scaleTargetRef...) is updated to the referred object's final name. Candidates are found by any
// earlier name, filtered by kind, scope and namespace, and by having had the same prefixes and
// suffixes as the referrer when that is needed to decide.
import { KustomizeError } from "./errors.ts";
import { fieldSpecSelects, hasFieldSpecPath, visitFieldSpec } from "./fieldspec.ts";
import type { FieldSpec } from "./kustomization.ts";
import type { ResMap } from "./resmap.ts";
import {
  describeId,
  effectiveNamespace,
  type Gvk,
  gvkSelects,
  isMap,
  type Resource,
} from "./resource.ts";
import { isClusterScoped } from "./schema.ts";
import type { NameBackReference } from "./transformer_config.ts";

function scoped(r: Resource): boolean {
  return isClusterScoped(r.kind);
}

function sameNs(a: Resource, b: Resource): boolean {
  return effectiveNamespace(a.namespace) === effectiveNamespace(b.namespace);
}

/** The objects grouped once per build: cluster-scoped ones and, by namespace, the others. */
class Scopes {
  readonly clusterScoped: Resource[] = [];
  readonly byNamespace = new Map<string, Resource[]>();

  constructor(readonly all: Resource[]) {
    for (const r of all) {
      if (scoped(r)) {
        this.clusterScoped.push(r);
        continue;
      }
      const ns = effectiveNamespace(r.namespace);
      let list = this.byNamespace.get(ns);
      if (!list) this.byNamespace.set(ns, list = []);
      list.push(r);
    }
  }

  private cache = new Map<string, Resource[]>();

  /** Objects a referrer may point at: same namespace, cluster-scoped, a RoleBinding's subjects. */
  candidatesFor(referrer: Resource): Resource[] {
    if (scoped(referrer)) return this.all;
    const namespaces = new Set([effectiveNamespace(referrer.namespace)]);
    if (referrer.kind === "RoleBinding" && Array.isArray(referrer.obj.subjects)) {
      for (const s of referrer.obj.subjects) {
        if (isMap(s) && s.kind === "ServiceAccount" && typeof s.namespace === "string") {
          namespaces.add(effectiveNamespace(s.namespace));
        }
      }
    }
    const key = [...namespaces].sort().join("\n");
    let hit = this.cache.get(key);
    if (!hit) this.cache.set(key, hit = this.pick(namespaces));
    return hit;
  }

  private pick(namespaces: Set<string>): Resource[] {
    const picked = new Set<Resource>(this.clusterScoped);
    for (const ns of namespaces) for (const r of this.byNamespace.get(ns) ?? []) picked.add(r);
    // Keep the build order, as kustomize does when it picks the first of equal candidates.
    return picked.size === this.all.length ? this.all : this.all.filter((r) => picked.has(r));
  }
}

interface Job {
  referrer: Resource;
  spec: FieldSpec;
  target: Partial<Gvk>;
}

export function fixNameReferences(resources: ResMap, backRefs: NameBackReference[], file: string) {
  const all = resources.list;
  const byKind = new Map<string, Resource[]>();
  for (const r of all) {
    const kind = r.orgId().kind;
    let list = byKind.get(kind);
    if (!list) byKind.set(kind, list = []);
    list.push(r);
  }
  const jobs: Job[] = [];
  for (const ref of backRefs) {
    for (const spec of ref.fieldSpecs) {
      for (const r of spec.kind ? byKind.get(spec.kind) ?? [] : all) {
        if (!fieldSpecSelects(spec, r.orgId())) continue;
        if (!hasFieldSpecPath(r.obj, spec.path)) continue;
        jobs.push({ referrer: r, spec, target: ref.target });
      }
    }
  }
  const scopes = new Scopes(all);
  const candidateCache = new Map<Resource, Resource[]>();
  for (const job of jobs) {
    let candidates = candidateCache.get(job.referrer);
    if (!candidates) {
      candidates = scopes.candidatesFor(job.referrer);
      candidateCache.set(job.referrer, candidates);
    }
    updateReferences(job, candidates, file);
  }
}

function updateReferences(job: Job, candidates: Resource[], file: string) {
  const { referrer, spec } = job;
  const where = () => `name reference in "${spec.path}" of ${describeId(referrer.curId())}`;
  const selectOne = (oldName: string, list: Resource[], sameNamespaceToo: boolean) => {
    try {
      return selectReferral(job, oldName, list, sameNamespaceToo);
    } catch (e) {
      throw new KustomizeError(file, "", `${where()}: ${(e as Error).message}`);
    }
  };
  const setScalar = (parent: Record<string, unknown> | unknown[], key: string | number) => {
    const old = (parent as Record<string, unknown>)[key as string];
    if (typeof old !== "string") return;
    const referral = selectOne(old, candidates, false);
    if (referral && referral.name !== old) {
      (parent as Record<string, unknown>)[key as string] = referral.name;
    }
  };
  const setMap = (node: Record<string, unknown>) => {
    if (typeof node.name !== "string") {
      if (!("name" in node)) {
        throw new KustomizeError(
          file,
          "",
          `${where()}: path config error; no 'name' field in node`,
        );
      }
      return;
    }
    let list = candidates;
    if (typeof node.namespace === "string") {
      const ns = effectiveNamespace(node.namespace);
      const byOriginal = candidates.filter((c) => effectiveNamespace(c.orgId().namespace) === ns);
      list = byOriginal.length > 0
        ? byOriginal
        : candidates.filter((c) => effectiveNamespace(c.namespace) === ns);
    }
    const referral = selectOne(node.name, list, true);
    if (!referral) return;
    if (referral.name === node.name && referral.namespace === "") return;
    node.name = referral.name;
    if (referral.namespace !== "") node.namespace = referral.namespace;
  };
  visitFieldSpec(referrer.obj, spec.path, { create: false }, (parent, key) => {
    const v = parent[key];
    if (v === null || v === undefined) return;
    if (typeof v === "string") setScalar(parent, key);
    else if (isMap(v)) setMap(v);
    else if (Array.isArray(v)) {
      v.forEach((item, i) => {
        if (typeof item === "string") setScalar(v, i);
        else if (isMap(item)) setMap(item);
      });
    }
  });
}

function selectReferral(
  job: Job,
  oldName: string,
  candidates: Resource[],
  compareNamespaces: boolean,
): Resource | undefined {
  const { referrer, target, spec } = job;
  let list = candidates.filter((c) => c.prevIds.some((id) => id.name === oldName));
  list = list.filter((c) => c.prevIds.some((id) => gvkSelects(target, id)));
  if (spec.path.endsWith("roleRef/name")) {
    const roleRef = referrer.obj.roleRef;
    if (
      isMap(roleRef) && typeof roleRef.apiGroup === "string" && typeof roleRef.kind === "string"
    ) {
      const g = { group: roleRef.apiGroup, kind: roleRef.kind };
      list = list.filter((c) => c.prevIds.some((id) => gvkSelects(g, id)));
    }
  }
  if (!scoped(referrer)) {
    list = list.filter((c) => scoped(c) || c.kind === "ServiceAccount" || sameNs(c, referrer));
  }
  if (list.length === 1) return list[0];
  list = list.filter((c) =>
    sameStrings(c.namePrefixes, referrer.namePrefixes) &&
    sameStrings(c.nameSuffixes, referrer.nameSuffixes)
  );
  if (list.length === 1) return list[0];
  if (list.length === 0) return undefined;
  const first = list[0];
  if (
    list.every((c) =>
      c.name === first.name && (!compareNamespaces || c.namespace === first.namespace)
    )
  ) {
    return first;
  }
  throw new Error(
    `found multiple possible referrals: ${list.map((c) => describeId(c.curId())).join(", ")}`,
  );
}

/** True when one list ends like the other ({a,b,c} and {b,c}); an empty list matches only empty. */
function sameStrings(a: string[], b: string[]): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  const diff = long.length - short.length;
  if (short.length === 0) return diff === 0;
  return short.every((s, i) => long[i + diff] === s);
}
