// `namePrefix:` / `nameSuffix:` — renames every object except the kinds kustomize skips (CRDs,
// APIServices), remembering the old id so that name references can follow the rename later.
import { fieldSpecSelects, visitFieldSpec } from "./fieldspec.ts";
import type { FieldSpec } from "./kustomization.ts";
import type { ResMap } from "./resmap.ts";
import { gvkSelects, type Resource } from "./resource.ts";
import { NAME_CHANGE_SKIPPED } from "./transformer_config.ts";

function skipped(r: Resource): boolean {
  const org = r.orgId();
  return NAME_CHANGE_SKIPPED.some((s) => gvkSelects(s, org));
}

export function applyPrefixSuffix(
  resources: ResMap,
  which: "prefix" | "suffix",
  affix: string,
  fieldSpecs: FieldSpec[],
) {
  for (const r of resources.list) {
    if (skipped(r)) continue;
    const gvk = r.orgId();
    for (const fs of fieldSpecs) {
      if (!fieldSpecSelects(fs, gvk)) continue;
      if (fs.path === "metadata/name") {
        if (affix === "") continue;
        // Recorded so that name references can prefer referrals renamed alike.
        if (which === "prefix") r.namePrefixes.push(affix);
        else r.nameSuffixes.push(affix);
        r.storePreviousId();
        r.name = which === "prefix" ? affix + r.name : r.name + affix;
        continue;
      }
      if (affix === "") continue;
      visitFieldSpec(r.obj, fs.path, { create: fs.create ?? false }, (parent, key) => {
        const v = parent[key];
        if (typeof v !== "string") return;
        parent[key] = which === "prefix" ? affix + v : v + affix;
      });
    }
  }
}
