// reflect.DeepEqual for the value model: same Go type and equal contents.
import { GoFloat32, GoInt, isPlainMap, typeName } from "../gotemplate/mod.ts";

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeName(a) !== typeName(b)) return false;
  if (a instanceof GoInt || a instanceof GoFloat32) return a.value === (b as typeof a).value;
  if (typeof a === "number") return a === b;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  if (isPlainMap(a)) {
    const bm = b as Record<string, unknown>;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(bm).length) return false;
    return ka.every((k) => Object.hasOwn(bm, k) && deepEqual(a[k], bm[k]));
  }
  if (typeof a === "object") {
    const ea = Object.entries(a as object);
    const bo = b as Record<string, unknown>;
    return ea.every(([k, v]) => deepEqual(v, bo[k]));
  }
  return false;
}
