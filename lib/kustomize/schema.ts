// The facts about Kubernetes types the renderer needs: which kinds are cluster-scoped and which
// lists strategic merge patch merges by key. Built-in facts come from data/k8s_facts.json (see
// data/derive.ts); a kustomization's `openapi` schema adds custom types on top.
import facts from "./data/k8s_facts.json" with { type: "json" };
import { apiVersionOf, type Gvk } from "./resource.ts";

const clusterScopedKinds = new Set<string>(facts.clusterScoped);
const builtinLists = facts.listMerge as Record<string, Record<string, string>>;

/** Kinds kustomize knows as cluster-scoped; unknown kinds are namespaced, as in kustomize. */
export function isClusterScoped(kind: string): boolean {
  return clusterScopedKinds.has(kind);
}

/** Merge keys of one kind, by dotted field path ("spec.template.spec.containers" -> "name"). */
export type ListMergeKeys = Record<string, string>;

/** Where strategic merge patch looks up list merge keys: custom schemas first, then built-ins. */
export class MergeKeySchema {
  constructor(private readonly custom: Record<string, ListMergeKeys> = {}) {}

  listsOf(gvk: Gvk): ListMergeKeys | undefined {
    const key = `${apiVersionOf(gvk)}/${gvk.kind}`;
    return this.custom[key] ?? builtinLists[key];
  }

  withCustom(more: Record<string, ListMergeKeys>): MergeKeySchema {
    return new MergeKeySchema({ ...this.custom, ...more });
  }
}

export const BUILTIN_SCHEMA = new MergeKeySchema();
