// Walking a field spec path ("spec/template/spec/containers[]/image") through an object the way
// kustomize does: lists are entered element by element, missing maps are created when the spec
// says `create`, a `[]` suffix marks a list that is never created, and "\/" escapes a slash in a
// key (annotation names).
import type { FieldSpec } from "./kustomization.ts";
import { type Gvk, isMap, type KubeObject } from "./resource.ts";

export class FieldPathError extends Error {
  override readonly name = "FieldPathError";
}

export function fieldSpecSelects(fs: FieldSpec, gvk: Gvk): boolean {
  if (fs.kind && fs.kind !== gvk.kind) return false;
  if (fs.group && fs.group !== gvk.group) return false;
  if (fs.version && fs.version !== gvk.version) return false;
  return true;
}

const pathCache = new Map<string, string[]>();

/** Splits on "/" except where escaped as "\/". */
export function splitFieldSpecPath(path: string): string[] {
  let parts = pathCache.get(path);
  if (!parts) {
    parts = [];
    let cur = "";
    for (let i = 0; i < path.length; i++) {
      const c = path[i];
      if (c === "\\" && path[i + 1] === "/") {
        cur += "/";
        i++;
      } else if (c === "/") {
        parts.push(cur);
        cur = "";
      } else {
        cur += c;
      }
    }
    parts.push(cur);
    pathCache.set(path, parts);
  }
  return parts;
}

export interface VisitOptions {
  /** Create missing intermediate maps, and the leaf with `createLeaf`. */
  create: boolean;
  createLeaf?: () => unknown;
}

/**
 * Calls `fn(parent, key)` for every place the path reaches. When the leaf is missing it is created
 * (if allowed) before the call; otherwise a missing leaf or branch ends the walk quietly.
 */
export function visitFieldSpec(
  obj: KubeObject,
  path: string,
  options: VisitOptions,
  fn: (parent: Record<string, unknown>, key: string) => void,
): void {
  walk(obj, splitFieldSpecPath(path), 0, options, fn, path);
}

function walk(
  node: unknown,
  parts: string[],
  i: number,
  options: VisitOptions,
  fn: (parent: Record<string, unknown>, key: string) => void,
  path: string,
): void {
  if (node === null || node === undefined) return;
  if (Array.isArray(node)) {
    for (const item of node) walk(item, parts, i, options, fn, path);
    return;
  }
  if (!isMap(node)) {
    throw new FieldPathError(
      `field path "${path}": expected a map or a list at "${parts.slice(0, i).join("/")}"`,
    );
  }
  let key = parts[i];
  const isSeq = key.endsWith("[]");
  if (isSeq) key = key.slice(0, -2);
  const last = i === parts.length - 1;
  let value = node[key];
  if (last) {
    if (value === undefined || value === null) {
      if (!options.create || !options.createLeaf || isSeq) {
        if (value === undefined) return;
      } else {
        node[key] = options.createLeaf();
      }
    }
    fn(node, key);
    return;
  }
  if (value === undefined || value === null) {
    if (!options.create || isSeq) return;
    value = {};
    node[key] = value;
  }
  walk(value, parts, i + 1, options, fn, path);
}

/** True when the path exists in the object (used to skip work early). */
export function hasFieldSpecPath(obj: KubeObject, path: string): boolean {
  let found = false;
  try {
    visitFieldSpec(obj, path, { create: false }, () => (found = true));
  } catch {
    return false;
  }
  return found;
}
