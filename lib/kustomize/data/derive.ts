// Derives lib/kustomize/data/k8s_facts.json from the Kubernetes 1.34 API data kept beside the
// repository (../shared/k8s: merge-keys.json and resources.json, see its README for provenance).
// The compiled binary cannot read ../shared, so the few facts the renderer needs are copied here:
//   - listMerge: per "apiVersion/kind", the dotted paths of lists that strategic merge patch merges
//     (patchStrategy "merge"), with their patchMergeKey ("" for lists of scalars, merged as sets);
//   - clusterScoped: the kinds that are not namespaced (as kustomize v5 knows them, see below).
// Run: deno run -A lib/kustomize/data/derive.ts
const shared = new URL("../../../../shared/k8s/", import.meta.url);
const mergeKeys = JSON.parse(await Deno.readTextFile(new URL("merge-keys.json", shared)));
const resources = JSON.parse(await Deno.readTextFile(new URL("resources.json", shared)));

interface FieldFacts {
  patchStrategy?: string;
  patchMergeKey?: string;
}

const listMerge: Record<string, Record<string, string>> = {};
for (const [gvk, definition] of Object.entries(mergeKeys.gvk as Record<string, string>)) {
  const fields = mergeKeys.kinds[definition]?.fields as Record<string, FieldFacts> | undefined;
  if (!fields) continue;
  const lists: Record<string, string> = {};
  for (const [path, facts] of Object.entries(fields)) {
    const strategies = (facts.patchStrategy ?? "").split(",");
    if (!strategies.includes("merge")) continue;
    if (path.startsWith("status.")) continue;
    lists[path] = facts.patchMergeKey ?? "";
  }
  listMerge[gvk] = lists;
}

// kustomize v5 decides scope from the schema it embeds (Kubernetes 1.21): kinds added since are
// unknown to it and therefore treated as namespaced (it sets metadata.namespace on them), and
// PodSecurityPolicy, removed since, is cluster-scoped there. Matching kustomize's output wins.
const NEWER_THAN_KUSTOMIZE_SCHEMA = new Set([
  "ClusterTrustBundle",
  "DeviceClass",
  "DeviceTaintRule",
  "IPAddress",
  "MutatingAdmissionPolicy",
  "MutatingAdmissionPolicyBinding",
  "ResourceSlice",
  "SelfSubjectReview",
  "ServiceCIDR",
  "StorageVersionMigration",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "VolumeAttributesClass",
]);
const clusterScoped = [
  ...new Set(
    (resources as { kind: string; namespaced: boolean }[])
      .filter((r) => !r.namespaced && !NEWER_THAN_KUSTOMIZE_SCHEMA.has(r.kind))
      .map((r) => r.kind)
      .concat("PodSecurityPolicy"),
  ),
].sort();

const out = {
  source: "derived from ../shared/k8s (Kubernetes 1.34 OpenAPI) by lib/kustomize/data/derive.ts",
  clusterScoped,
  listMerge,
};
await Deno.writeTextFile(new URL("k8s_facts.json", import.meta.url), JSON.stringify(out) + "\n");
console.log(`wrote k8s_facts.json: ${Object.keys(listMerge).length} kinds`);
