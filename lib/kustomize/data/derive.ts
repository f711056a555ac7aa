// Derives lib/kustomize/data/k8s_facts.json from the Kubernetes 1.34 API data kept beside the
// repository (../shared/k8s: merge-keys.json and resources.json, see its README for provenance).
// The compiled binary cannot read ../shared, so the few facts the renderer needs are copied here:
//   - listMerge: per "apiVersion/kind", the dotted paths of lists that strategic merge patch merges
//     (patchStrategy "merge"), with their patchMergeKey ("" for lists of scalars, merged as sets);
//   - clusterScoped: the kinds that are not namespaced.
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

const clusterScoped = [
  ...new Set(
    (resources as { kind: string; namespaced: boolean }[])
      .filter((r) => !r.namespaced)
      .map((r) => r.kind),
  ),
].sort();

const out = {
  source: "derived from ../shared/k8s (Kubernetes 1.34 OpenAPI) by lib/kustomize/data/derive.ts",
  clusterScoped,
  listMerge,
};
await Deno.writeTextFile(new URL("k8s_facts.json", import.meta.url), JSON.stringify(out) + "\n");
console.log(`wrote k8s_facts.json: ${Object.keys(listMerge).length} kinds`);
