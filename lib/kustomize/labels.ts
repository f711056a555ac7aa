// `commonLabels`, `labels` and `commonAnnotations`: string pairs written into the fields of the
// field specs (metadata, selectors, pod templates), creating the maps where the spec allows.
import { fieldSpecSelects, visitFieldSpec } from "./fieldspec.ts";
import type { FieldSpec } from "./kustomization.ts";
import type { ResMap } from "./resmap.ts";
import { isMap } from "./resource.ts";

export function applyMapEntries(
  resources: ResMap,
  entries: Record<string, string> | undefined,
  fieldSpecs: FieldSpec[],
): void {
  if (!entries || Object.keys(entries).length === 0) return;
  for (const r of resources.list) {
    const gvk = r.gvk;
    for (const fs of fieldSpecs) {
      if (!fieldSpecSelects(fs, gvk)) continue;
      visitFieldSpec(r.obj, fs.path, { create: fs.create ?? false, createLeaf: () => ({}) }, (
        parent,
        key,
      ) => {
        let target = parent[key];
        if (target === null) {
          target = {};
          parent[key] = target;
        }
        if (!isMap(target)) return;
        Object.assign(target, entries);
      });
    }
  }
}
