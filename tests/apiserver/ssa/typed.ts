// Walks of a JSON value along its TypeNode: the field set a value sets, the comparison of two
// values (added/removed/modified paths), the merge of an applied configuration into a live
// object, and the removal of a set of paths. These follow structured-merge-diff's walkers.
import {
  fieldElement,
  FieldSet,
  keyElement,
  type Path,
  type PathElement,
  valueElement,
} from "./fieldpath.ts";
import { type TypeNode, UNTYPED } from "./schema.ts";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export class SchemaMismatchError extends Error {
  constructor(readonly path: string, message: string) {
    super(`${path || "."}: ${message}`);
    this.name = "SchemaMismatchError";
  }
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (typeof a === "object") {
    if (Array.isArray(b)) return false;
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const ak = Object.keys(ao);
    if (ak.length !== Object.keys(bo).length) return false;
    return ak.every((k) => k in bo && deepEqual(ao[k], bo[k]));
  }
  return false;
}

/** How a node is treated for this value: untyped values are deduced from their shape. */
type Shape = "leaf" | "map" | "list";

function shapeOf(t: TypeNode, v: unknown): Shape {
  switch (t.kind) {
    case "scalar":
      return "leaf";
    case "untyped":
      return isObject(v) ? "map" : "leaf";
    case "list":
      return t.relationship === "atomic" || !Array.isArray(v) ? "leaf" : "list";
    case "map":
      return t.atomic || !isObject(v) ? "leaf" : "map";
  }
}

function fieldType(t: TypeNode, key: string): { type: TypeNode; declared: boolean } {
  if (t.kind === "map") {
    const f = t.fields.get(key);
    if (f) return { type: f(), declared: true };
    return { type: t.elem ? t.elem() : UNTYPED, declared: false };
  }
  return { type: UNTYPED, declared: false };
}

function elemType(t: TypeNode): TypeNode {
  return t.kind === "list" ? t.elem() : UNTYPED;
}

function pathText(path: Path): string {
  return path.join(".");
}

/** The path element of a list item: its key fields for a map list, its value for a set. */
export function itemElement(t: TypeNode, item: unknown, index: number, path: Path): PathElement {
  if (t.kind !== "list") return `i:${index}`;
  if (t.relationship === "set") return valueElement(item);
  if (t.relationship === "map") {
    if (!isObject(item)) {
      throw new SchemaMismatchError(pathText(path), "expected an object in an associative list");
    }
    const keys: Record<string, unknown> = {};
    for (const k of t.keys) {
      if (k in item) keys[k] = item[k];
      else if (k in t.keyDefaults) keys[k] = t.keyDefaults[k];
      else {
        throw new SchemaMismatchError(
          pathText(path),
          `associative list with keys has an element that omits key field "${k}"`,
        );
      }
    }
    return keyElement(keys);
  }
  return `i:${index}`;
}

/** The set of fields a value sets (structured-merge-diff's ToFieldSet). */
export function toFieldSet(value: unknown, t: TypeNode): FieldSet {
  const set = new FieldSet();
  walkSet(value, t, [], set);
  return set;
}

function walkSet(v: unknown, t: TypeNode, path: Path, set: FieldSet): void {
  const shape = shapeOf(t, v);
  if (shape === "leaf") {
    set.insert(path);
    return;
  }
  if (shape === "map") {
    for (const [k, child] of Object.entries(v as JsonObject)) {
      const { type, declared } = fieldType(t, k);
      const p = [...path, fieldElement(k)];
      walkSet(child, type, p, set);
      if (child === null || (isObject(child) && Object.keys(child).length === 0) || !declared) {
        set.insert(p);
      }
    }
    return;
  }
  const et = elemType(t);
  (v as Json[]).forEach((item, i) => {
    const p = [...path, itemElement(t, item, i, path)];
    walkSet(item, et, p, set);
    set.insert(p);
  });
}

export interface Comparison {
  added: FieldSet;
  removed: FieldSet;
  modified: FieldSet;
}

/** The paths added, removed and modified going from `lhs` to `rhs` (SMD's Compare). */
export function compare(lhs: unknown, rhs: unknown, t: TypeNode): Comparison {
  const c = { added: new FieldSet(), removed: new FieldSet(), modified: new FieldSet() };
  walkCompare(lhs, rhs, t, [], c);
  return c;
}

function walkCompare(
  lhs: unknown,
  rhs: unknown,
  t: TypeNode,
  path: Path,
  c: Comparison,
): void {
  const ls = lhs === undefined ? undefined : shapeOf(t, lhs);
  const rs = rhs === undefined ? undefined : shapeOf(t, rhs);
  const leaf = ls === "leaf" || rs === "leaf" ||
    (ls !== undefined && rs !== undefined && ls !== rs);
  if (leaf) {
    if (lhs === undefined) c.added.insert(path);
    else if (rhs === undefined) c.removed.insert(path);
    else if (!deepEqual(lhs, rhs)) c.modified.insert(path);
    return;
  }
  const shape = ls ?? rs;
  if (shape === "map") {
    const lo = (lhs ?? {}) as JsonObject;
    const ro = (rhs ?? {}) as JsonObject;
    const keys = new Set([...Object.keys(lo), ...Object.keys(ro)]);
    for (const k of keys) {
      walkCompare(
        k in lo ? lo[k] : undefined,
        k in ro ? ro[k] : undefined,
        fieldType(t, k).type,
        [...path, fieldElement(k)],
        c,
      );
    }
  } else {
    const et = elemType(t);
    const li = indexItems(lhs as Json[] | undefined, t, path);
    const ri = indexItems(rhs as Json[] | undefined, t, path);
    const pes = new Set([...li.keys(), ...ri.keys()]);
    for (const pe of pes) walkCompare(li.get(pe), ri.get(pe), et, [...path, pe], c);
  }
  // Structured-merge-diff also records a non-leaf node that appears or disappears as a whole.
  if (lhs === undefined) c.added.insert(path);
  else if (rhs === undefined) c.removed.insert(path);
}

function indexItems(list: Json[] | undefined, t: TypeNode, path: Path): Map<PathElement, Json> {
  const m = new Map<PathElement, Json>();
  (list ?? []).forEach((item, i) => m.set(itemElement(t, item, i, path), item));
  return m;
}

/** Merges an applied configuration into a live object (SMD's Merge): rhs wins on leaves. */
export function merge(lhs: unknown, rhs: unknown, t: TypeNode, path: Path = []): unknown {
  if (rhs === undefined) return lhs;
  if (lhs === undefined) return rhs;
  const ls = shapeOf(t, lhs);
  const rs = shapeOf(t, rhs);
  if (ls === "leaf" || rs === "leaf" || ls !== rs) return rhs;
  if (rs === "map") {
    const out: JsonObject = { ...(lhs as JsonObject) };
    for (const [k, v] of Object.entries(rhs as JsonObject)) {
      out[k] = merge(out[k], v, fieldType(t, k).type, [...path, fieldElement(k)]) as Json;
    }
    return out;
  }
  return mergeList(lhs as Json[], rhs as Json[], t, path);
}

/** Merges lists keeping the live order, with the applied items in the applied order. */
function mergeList(lhs: Json[], rhs: Json[], t: TypeNode, path: Path): Json[] {
  const et = elemType(t);
  const lpe = lhs.map((item, i) => itemElement(t, item, i, path));
  const rpe = rhs.map((item, i) => itemElement(t, item, i, path));
  const lmap = new Map<PathElement, Json>();
  lhs.forEach((item, i) => lmap.has(lpe[i]) || lmap.set(lpe[i], item));
  const rmap = new Map<PathElement, Json>();
  rhs.forEach((item, i) => rmap.has(rpe[i]) || rmap.set(rpe[i], item));
  const shared = rpe.filter((pe) => lmap.has(pe));
  let nextShared: PathElement | undefined = shared.shift();
  const mergedRhs = new Set<PathElement>();
  const out: Json[] = [];
  const mergeItem = (pe: PathElement) =>
    out.push(merge(lmap.get(pe), rmap.get(pe), et, [...path, pe]) as Json);
  let l = 0;
  let r = 0;
  while (l < lpe.length || r < rpe.length) {
    if (l < lpe.length && r < rpe.length) {
      const pe = lpe[l];
      if (pe === rpe[r]) {
        mergedRhs.add(pe);
        mergeItem(pe);
        l++;
        r++;
        nextShared = shared.shift();
        continue;
      }
      if (rmap.has(pe) && nextShared !== undefined && nextShared !== pe) {
        l++;
        continue;
      }
    }
    if (l < lpe.length) {
      const pe = lpe[l];
      if (!rmap.has(pe)) {
        out.push(lmap.get(pe)!);
        l++;
        continue;
      } else if (mergedRhs.has(pe)) {
        l++;
        continue;
      }
    }
    if (r < rpe.length) {
      const pe = rpe[r];
      mergedRhs.add(pe);
      mergeItem(pe);
      r++;
      if (nextShared !== undefined && nextShared === pe) nextShared = shared.shift();
    }
  }
  return out;
}

/** A copy of `v` without the members of `set` (SMD's RemoveItems). */
export function removeItems(v: unknown, t: TypeNode, set: FieldSet, path: Path = []): unknown {
  const shape = shapeOf(t, v);
  if (shape === "leaf") return v;
  if (shape === "map") {
    const out: JsonObject = {};
    for (const [k, child] of Object.entries(v as JsonObject)) {
      const pe = fieldElement(k);
      const sub = set.child(pe);
      if (sub?.member) continue;
      out[k] = sub ? removeItems(child, fieldType(t, k).type, sub, [...path, pe]) as Json : child;
    }
    return out;
  }
  const et = elemType(t);
  const out: Json[] = [];
  (v as Json[]).forEach((item, i) => {
    const pe = itemElement(t, item, i, path);
    const sub = set.child(pe);
    if (sub?.member) return;
    out.push(sub ? removeItems(item, et, sub, [...path, pe]) as Json : item);
  });
  return out;
}
