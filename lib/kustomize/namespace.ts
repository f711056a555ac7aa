// `namespace:` — sets metadata.namespace on namespaced objects (cluster-scoped kinds are left
// alone), renames Namespace objects, and updates the other namespace fields kustomize knows:
// RoleBinding/ClusterRoleBinding subjects named "default", APIService and CRD webhook services.
import { fieldSpecSelects, visitFieldSpec } from "./fieldspec.ts";
import type { FieldSpec } from "./kustomization.ts";
import type { ResMap } from "./resmap.ts";
import { isMap } from "./resource.ts";
import { isClusterScoped } from "./schema.ts";

export function applyNamespace(resources: ResMap, namespace: string, fieldSpecs: FieldSpec[]) {
  if (!namespace) return;
  for (const r of resources.list) {
    const gvk = r.gvk;
    r.storePreviousId();
    for (const fs of fieldSpecs) {
      if (!fieldSpecSelects(fs, gvk)) continue;
      if (fs.path === "metadata/namespace") {
        if (!isClusterScoped(gvk.kind)) r.namespace = namespace;
        continue;
      }
      if (fs.path === "subjects[]/namespace" || fs.path === "subjects/namespace") {
        setSubjectNamespaces(r.obj.subjects, namespace);
        continue;
      }
      visitFieldSpec(r.obj, fs.path, { create: fs.create ?? false, createLeaf: () => "" }, (
        parent,
        key,
      ) => {
        if (typeof parent[key] === "string" || parent[key] === null) parent[key] = namespace;
      });
    }
  }
}

/** Only subjects for the "default" service account are moved, as kustomize does by default. */
function setSubjectNamespaces(subjects: unknown, namespace: string) {
  if (!Array.isArray(subjects)) return;
  for (const s of subjects) {
    if (isMap(s) && s.name === "default") s.namespace = namespace;
  }
}
