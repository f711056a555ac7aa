// `replicas:` — sets the replica count of the objects with that name (current or earlier name)
// in the fields the replica field specs name.
import { KustomizeError } from "./errors.ts";
import { fieldSpecSelects, visitFieldSpec } from "./fieldspec.ts";
import type { FieldSpec, ReplicaEntry } from "./kustomization.ts";
import type { ResMap } from "./resmap.ts";

export function applyReplicas(
  resources: ResMap,
  replicas: ReplicaEntry[],
  fieldSpecs: FieldSpec[],
  file: string,
) {
  replicas.forEach((entry, i) => {
    if (typeof entry.name !== "string") {
      throw new KustomizeError(file, `replicas[${i}].name`, "a replicas entry needs a name");
    }
    const count = typeof entry.count === "number" ? entry.count : Number(entry.count);
    let found = false;
    for (const r of resources.list) {
      if (!r.allIds().some((id) => id.name === entry.name)) continue;
      for (const fs of fieldSpecs) {
        if (!fieldSpecSelects(fs, r.gvk)) continue;
        found = true;
        visitFieldSpec(r.obj, fs.path, { create: fs.create ?? false, createLeaf: () => 0 }, (
          parent,
          key,
        ) => (parent[key] = count));
      }
    }
    if (!found) {
      throw new KustomizeError(
        file,
        `replicas[${i}]`,
        `resource with name ${entry.name} does not match a config with the following GVK [${
          fieldSpecs.map((f) => f.kind).join(" ")
        }]`,
      );
    }
  });
}
