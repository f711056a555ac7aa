// Strategic merge patch as kustomize v5 applies it (kyaml's merge2): maps merge field by field,
// `null` deletes a field, lists with a patch merge key merge element by element (patch elements
// first, in patch order, then the target's remaining elements), lists of scalars with strategy
// "merge" become a union, every other list is replaced. `$patch: delete|replace|merge` is honoured
// on maps and list elements (at the root, replace merges). Like kustomize, the apimachinery-only
// directives ($retainKeys, $setElementOrder, $deleteFromPrimitiveList) are not interpreted and
// stay as written; strategic_merge_apimachinery.ts has the API server's flavour.
import { isMap } from "../resource.ts";
import type { ListMergeKeys } from "../schema.ts";

export class StrategicMergeError extends Error {
  override readonly name = "StrategicMergeError";
}

const DIRECTIVE = "$patch";

/**
 * Merges `patch` into `target` and returns the result (`undefined` when the patch deletes it).
 * `target` is not modified unless `inPlace` (the result then shares its maps). `lists` gives the
 * merge key of each list path of the target's kind.
 */
export function strategicMerge(
  target: unknown,
  patch: unknown,
  lists: ListMergeKeys | undefined,
  inPlace = false,
): unknown {
  // At the root kustomize honours `$patch: delete` but merges a `$patch: replace`.
  if (isMap(patch) && patch[DIRECTIVE] === "replace") patch = withoutDirective(patch);
  return mergeValue(inPlace ? target : structuredClone(target), patch, "", lists ?? {});
}

function mergeValue(dest: unknown, src: unknown, path: string, lists: ListMergeKeys): unknown {
  if (isMap(src)) return mergeMap(isMap(dest) ? dest : undefined, src, path, lists);
  if (Array.isArray(src)) {
    return mergeList(Array.isArray(dest) ? dest : undefined, src, path, lists);
  }
  return src;
}

function mergeMap(
  dest: Record<string, unknown> | undefined,
  src: Record<string, unknown>,
  path: string,
  lists: ListMergeKeys,
): Record<string, unknown> | undefined {
  const directive = src[DIRECTIVE];
  if (directive !== undefined) {
    if (directive === "delete") return undefined;
    if (directive === "replace") return mergeMap(undefined, withoutDirective(src), path, lists);
    if (directive !== "merge") {
      throw new StrategicMergeError(`${path || "(root)"}: unknown $patch directive "${directive}"`);
    }
  }
  const out: Record<string, unknown> = dest ?? {};
  for (const [key, value] of Object.entries(src)) {
    if (key === DIRECTIVE) continue;
    const fieldPath = path ? `${path}.${key}` : key;
    if (value === null) {
      delete out[key];
      continue;
    }
    const merged = mergeValue(out[key], value, fieldPath, lists);
    if (merged === undefined) delete out[key];
    else out[key] = merged;
  }
  return out;
}

function mergeList(
  dest: unknown[] | undefined,
  src: unknown[],
  path: string,
  lists: ListMergeKeys,
): unknown[] {
  const key = lists[path];
  if (key === undefined) {
    // Replaced whole; directives inside the patch's elements are still resolved.
    return src.map((item) => mergeValue(undefined, item, path, lists)).filter((v) =>
      v !== undefined
    );
  }
  if (key === "" || !src.every((item) => isMap(item))) {
    return unionOfScalars(dest ?? [], src);
  }
  const keyOf = (item: unknown) =>
    isMap(item) && item[key] !== undefined && item[key] !== null ? String(item[key]) : undefined;
  const out: unknown[] = [];
  const handled = new Set<string>();
  const remaining = [...(dest ?? [])];
  for (const item of src as Record<string, unknown>[]) {
    const k = keyOf(item);
    const at = k === undefined ? -1 : remaining.findIndex((d) => keyOf(d) === k);
    const existing = at >= 0 ? remaining.splice(at, 1)[0] as Record<string, unknown> : undefined;
    if (k !== undefined) handled.add(k);
    const merged = mergeMap(existing, item, path, lists);
    if (merged !== undefined) out.push(merged);
  }
  for (const d of remaining) {
    const k = keyOf(d);
    if (k !== undefined && handled.has(k)) continue;
    out.push(d);
  }
  return out;
}

function unionOfScalars(dest: unknown[], src: unknown[]): unknown[] {
  const out: unknown[] = [];
  const seen = new Set<string>();
  for (const v of [...src, ...dest]) {
    const k = JSON.stringify(v);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(v);
  }
  return out;
}

function withoutDirective(src: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...src };
  delete copy[DIRECTIVE];
  return copy;
}
