// Strategic merge patch (`application/strategic-merge-patch+json`) for built-in kinds, using the
// patch strategies and merge keys of data/merge-keys.json.gz (from ../shared/k8s): merge lists by
// key, `$patch` directives (replace, delete, merge), `$setElementOrder/`,
// `$deleteFromPrimitiveList/`, `$retainKeys`, and null deleting a field.
import { readJson } from "../k8s_data.ts";
import { deepEqual, isObject, type Json, type JsonObject } from "../ssa/typed.ts";

interface FieldMeta {
  patchStrategy?: string;
  patchMergeKey?: string;
}

interface MergeKeys {
  gvk: Record<string, string>;
  kinds: Record<string, { fields: Record<string, FieldMeta> }>;
}

let mergeKeysCache: MergeKeys | undefined;
function mergeKeys(): MergeKeys {
  if (!mergeKeysCache) {
    mergeKeysCache = readJson<MergeKeys>("merge-keys.json.gz");
  }
  return mergeKeysCache;
}

export class StrategicPatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StrategicPatchError";
  }
}

/** Applies a strategic merge patch to an object of the given apiVersion/kind. */
export function applyStrategicPatch(
  target: JsonObject,
  patch: unknown,
  apiVersion: string,
  kind: string,
): JsonObject {
  if (!isObject(patch)) throw new StrategicPatchError("a strategic merge patch must be an object");
  const keys = mergeKeys();
  const def = keys.gvk[`${apiVersion}/${kind}`];
  const fields = def ? keys.kinds[def]?.fields ?? {} : {};
  return mergeMap(target, patch, "", fields) as JsonObject;
}

function childPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function mergeMap(
  target: Json | undefined,
  patch: JsonObject,
  path: string,
  fields: Record<string, FieldMeta>,
): Json | undefined {
  const directive = patch["$patch"];
  if (directive === "delete") return undefined;
  const base: JsonObject = directive === "replace" || !isObject(target) ? {} : { ...target };
  const retainKeys = patch["$retainKeys"] as string[] | undefined;
  const orders: Record<string, Json[]> = {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === "$patch" || k === "$retainKeys") continue;
    if (k.startsWith("$setElementOrder/")) {
      orders[k.slice("$setElementOrder/".length)] = v as Json[];
      continue;
    }
    if (k.startsWith("$deleteFromPrimitiveList/")) {
      const field = k.slice("$deleteFromPrimitiveList/".length);
      const current = base[field];
      if (Array.isArray(current)) {
        base[field] = current.filter((x) => !(v as Json[]).some((d) => deepEqual(d, x)));
      }
      continue;
    }
    const p = childPath(path, k);
    if (v === null) {
      delete base[k];
      continue;
    }
    const meta = fields[p] ?? fields[childPath(path, "*")] ?? {};
    const strategies = (meta.patchStrategy ?? "").split(",");
    if (Array.isArray(v)) {
      if (strategies.includes("merge")) {
        base[k] = mergeList(base[k], v, p, meta.patchMergeKey, fields);
      } else {
        base[k] = v.filter((x) => !(isObject(x) && x["$patch"] !== undefined));
      }
    } else if (isObject(v)) {
      // A map value of a free-form map has the "*" path segment in merge-keys.json.
      const sub = fields[p] ? p : isMapValuePath(path, fields) ? childPath(path, "*") : p;
      const merged = mergeMap(base[k], v, sub, fields);
      if (merged === undefined) delete base[k];
      else base[k] = merged;
    } else {
      base[k] = v;
    }
  }
  for (const [field, order] of Object.entries(orders)) {
    const list = base[field];
    if (Array.isArray(list)) {
      const meta = fields[childPath(path, field)] ?? {};
      base[field] = orderList(list, order, meta.patchMergeKey);
    }
  }
  if (retainKeys) {
    for (const k of Object.keys(base)) if (!retainKeys.includes(k)) delete base[k];
  }
  return base;
}

function isMapValuePath(path: string, fields: Record<string, FieldMeta>): boolean {
  const prefix = childPath(path, "*");
  return Object.keys(fields).some((f) => f === prefix || f.startsWith(`${prefix}.`));
}

function mergeList(
  target: Json | undefined,
  patch: Json[],
  path: string,
  mergeKey: string | undefined,
  fields: Record<string, FieldMeta>,
): Json[] {
  const current = Array.isArray(target) ? [...target] : [];
  if (patch.some((x) => isObject(x) && x["$patch"] === "replace")) {
    return patch.filter((x) => !(isObject(x) && x["$patch"] === "replace"));
  }
  if (!mergeKey) {
    // A merged list of scalars is a set union, keeping the live order.
    for (const v of patch) if (!current.some((c) => deepEqual(c, v))) current.push(v);
    return current;
  }
  for (const item of patch) {
    if (!isObject(item)) continue;
    const key = item[mergeKey];
    const i = current.findIndex((c) => isObject(c) && deepEqual(c[mergeKey], key));
    if (item["$patch"] === "delete") {
      if (i >= 0) current.splice(i, 1);
      continue;
    }
    if (i >= 0) {
      const merged = mergeMap(current[i], item, path, fields);
      if (merged === undefined) current.splice(i, 1);
      else current[i] = merged;
    } else {
      current.push(mergeMap(undefined, item, path, fields) as Json);
    }
  }
  return current;
}

function orderList(list: Json[], order: Json[], mergeKey: string | undefined): Json[] {
  const keyOf = (x: Json) => (mergeKey && isObject(x) ? x[mergeKey] : x);
  const ordered: Json[] = [];
  const used = new Set<number>();
  for (const o of order) {
    const want = mergeKey && isObject(o) ? o[mergeKey] : o;
    const i = list.findIndex((x, idx) => !used.has(idx) && deepEqual(keyOf(x), want));
    if (i >= 0) {
      ordered.push(list[i]);
      used.add(i);
    }
  }
  list.forEach((x, i) => used.has(i) || ordered.push(x));
  return ordered;
}
