// A kustomization's `openapi: {path: schema.json}`: an OpenAPI v2 document whose definitions carry
// x-kubernetes-group-version-kind and x-kubernetes-patch-merge-key/-strategy. It tells strategic
// merge patch how to merge the lists of custom resources, which otherwise are replaced whole.
import { isMap } from "./resource.ts";
import type { ListMergeKeys } from "./schema.ts";

type Schema = Record<string, unknown>;

export function mergeKeysFromOpenApi(doc: unknown): Record<string, ListMergeKeys> {
  const out: Record<string, ListMergeKeys> = {};
  const definitions = isMap(doc) && isMap(doc.definitions) ? doc.definitions : {};
  const resolve = (s: Schema): Schema => {
    const ref = s.$ref;
    if (typeof ref === "string" && ref.startsWith("#/definitions/")) {
      const target = definitions[ref.slice("#/definitions/".length)];
      return isMap(target) ? target : {};
    }
    return s;
  };
  const walk = (schema: Schema, path: string, seen: Set<Schema>, keys: ListMergeKeys) => {
    const s = resolve(schema);
    if (seen.has(s)) return; // recursive types: stop where the type repeats on the path
    seen.add(s);
    const props = isMap(s.properties) ? s.properties : {};
    for (const [name, raw] of Object.entries(props)) {
      if (!isMap(raw)) continue;
      const fieldPath = path ? `${path}.${name}` : name;
      const strategy = String(raw["x-kubernetes-patch-strategy"] ?? "").split(",");
      if (strategy.includes("merge")) {
        keys[fieldPath] = String(raw["x-kubernetes-patch-merge-key"] ?? "");
      }
      const items = isMap(raw.items) ? raw.items : undefined;
      walk(items ?? raw, fieldPath, seen, keys);
    }
    seen.delete(s);
  };
  for (const def of Object.values(definitions)) {
    if (!isMap(def) || !Array.isArray(def["x-kubernetes-group-version-kind"])) continue;
    for (const gvk of def["x-kubernetes-group-version-kind"]) {
      if (!isMap(gvk)) continue;
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : `${gvk.version}`;
      const keys: ListMergeKeys = {};
      walk(def, "", new Set(), keys);
      out[`${apiVersion}/${gvk.kind}`] = keys;
    }
  }
  return out;
}
