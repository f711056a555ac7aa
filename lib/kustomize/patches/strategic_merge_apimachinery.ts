// Strategic merge patch as the Kubernetes API server applies it (apimachinery's strategicpatch),
// for callers that emulate `kubectl patch --type strategic`: the target keeps its list order and
// new elements are appended, and all directives are honoured: `$patch: delete|replace|merge` on
// maps and list elements (a `{$patch: replace}` element replaces the whole list), `$retainKeys`,
// `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>`.
import { isMap } from "../resource.ts";
import type { ListMergeKeys } from "../schema.ts";
import { StrategicMergeError } from "./strategic_merge.ts";

const PATCH = "$patch";
const RETAIN = "$retainKeys";
const DELETE_FROM = "$deleteFromPrimitiveList/";
const ORDER = "$setElementOrder/";

/** Returns the merged copy (`undefined` when the patch deletes the object). */
export function strategicMergeApimachinery(
  target: unknown,
  patch: unknown,
  lists: ListMergeKeys | undefined,
): unknown {
  return mergeValue(structuredClone(target), patch, "", lists ?? {});
}

function mergeValue(dest: unknown, src: unknown, path: string, lists: ListMergeKeys): unknown {
  if (isMap(src)) return mergeMap(isMap(dest) ? dest : undefined, src, path, lists);
  if (Array.isArray(src)) {
    return mergeList(Array.isArray(dest) ? dest : undefined, src, path, lists);
  }
  return src;
}

function strip(src: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === PATCH || k === RETAIN || k.startsWith(DELETE_FROM) || k.startsWith(ORDER)) continue;
    out[k] = isMap(v) ? strip(v) : v;
  }
  return out;
}

function mergeMap(
  dest: Record<string, unknown> | undefined,
  src: Record<string, unknown>,
  path: string,
  lists: ListMergeKeys,
): Record<string, unknown> | undefined {
  const directive = src[PATCH];
  if (directive === "delete") return undefined;
  if (directive === "replace") return strip(src);
  if (directive !== undefined && directive !== "merge") {
    throw new StrategicMergeError(`${path || "(root)"}: unknown $patch directive "${directive}"`);
  }
  const out: Record<string, unknown> = dest ?? {};
  const retain = src[RETAIN];
  if (Array.isArray(retain)) {
    const keep = new Set(retain.map(String));
    for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
  }
  for (const [key, value] of Object.entries(src)) {
    if (key.startsWith(DELETE_FROM) && Array.isArray(value)) {
      const field = key.slice(DELETE_FROM.length);
      const remove = new Set(value.map((v) => JSON.stringify(v)));
      const list = out[field];
      if (Array.isArray(list)) out[field] = list.filter((v) => !remove.has(JSON.stringify(v)));
    }
  }
  for (const [key, value] of Object.entries(src)) {
    if (key === PATCH || key === RETAIN || key.startsWith(DELETE_FROM) || key.startsWith(ORDER)) {
      continue;
    }
    const fieldPath = path ? `${path}.${key}` : key;
    if (value === null) {
      delete out[key];
      continue;
    }
    const merged = mergeValue(out[key], value, fieldPath, lists);
    if (merged === undefined) delete out[key];
    else out[key] = merged;
  }
  for (const [key, value] of Object.entries(src)) {
    if (!key.startsWith(ORDER) || !Array.isArray(value)) continue;
    const field = key.slice(ORDER.length);
    const list = out[field];
    if (Array.isArray(list)) {
      out[field] = orderBy(list, value, lists[path ? `${path}.${field}` : field]);
    }
  }
  return out;
}

function keyOf(item: unknown, key: string | undefined): string | undefined {
  if (key && isMap(item)) return item[key] === undefined ? undefined : String(item[key]);
  if (!isMap(item) && !Array.isArray(item)) return JSON.stringify(item);
  return undefined;
}

/** Elements named in `order` come first, in that order; the others keep their order after. */
function orderBy(list: unknown[], order: unknown[], key: string | undefined): unknown[] {
  const rank = new Map<string, number>();
  order.forEach((o, i) => {
    const k = keyOf(o, key);
    if (k !== undefined) rank.set(k, i);
  });
  return list
    .map((item, i) => ({ item, i, r: rank.get(keyOf(item, key) ?? "") ?? order.length + i }))
    .sort((a, b) => a.r - b.r)
    .map((x) => x.item);
}

function mergeList(
  dest: unknown[] | undefined,
  src: unknown[],
  path: string,
  lists: ListMergeKeys,
): unknown[] {
  const key = lists[path];
  if (
    src.some((item) => isMap(item) && item[PATCH] === "replace" && Object.keys(item).length === 1)
  ) {
    return src.filter((item) => !(isMap(item) && item[PATCH] === "replace")).map((item) =>
      isMap(item) ? strip(item) : item
    );
  }
  if (key === undefined) return src.map((item) => (isMap(item) ? strip(item) : item));
  const out = [...(dest ?? [])];
  if (key === "" || !src.every(isMap)) {
    const seen = new Set(out.map((v) => JSON.stringify(v)));
    for (const v of src) {
      if (!seen.has(JSON.stringify(v))) {
        seen.add(JSON.stringify(v));
        out.push(v);
      }
    }
    return out;
  }
  for (const item of src as Record<string, unknown>[]) {
    const k = keyOf(item, key);
    const at = k === undefined ? -1 : out.findIndex((d) => keyOf(d, key) === k);
    if (item[PATCH] === "delete") {
      if (at >= 0) out.splice(at, 1);
      continue;
    }
    if (at >= 0) {
      const merged = mergeMap(out[at] as Record<string, unknown>, item, path, lists);
      if (merged === undefined) out.splice(at, 1);
      else out[at] = merged;
    } else {
      const fresh = mergeMap(undefined, item, path, lists);
      if (fresh !== undefined) out.push(fresh);
    }
  }
  return out;
}
