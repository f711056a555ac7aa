// Sprig's dict functions (dict.go), with mergo's merge rules for merge/mergeOverwrite.
import {
  type FuncMap,
  GoFuncError,
  type GoMap,
  GoPanic,
  isPlainMap,
  setEntry,
  typed,
  typeName,
  withGoType,
} from "../gotemplate/mod.ts";
import { strval } from "./cast.ts";

function dict(...v: unknown[]): GoMap {
  const out: GoMap = {};
  for (let i = 0; i < v.length; i += 2) {
    const key = strval(v[i] ?? null);
    setEntry(out, key, i + 1 >= v.length ? "" : (v[i + 1] ?? null));
  }
  return out;
}

function m(d: GoMap | null): GoMap {
  return d ?? {};
}

/** mergo's isEmptyValue for a map element. */
function isEmptyValue(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  switch (typeof v) {
    case "string":
      return v.length === 0;
    case "boolean":
      return !v;
    case "number":
      return v === 0;
    case "bigint":
      return v === 0n;
  }
  if (Array.isArray(v)) return v.length === 0;
  if (isPlainMap(v)) return Object.keys(v).length === 0;
  const n = (v as { value?: unknown }).value;
  if (typeof n === "bigint") return n === 0n;
  if (typeof n === "number") return n === 0;
  return false;
}

/** mergo.Merge / MergeWithOverwrite of one map into another, in place. */
export function mergeInto(dst: GoMap, src: GoMap, overwrite: boolean): void {
  for (const key of Object.keys(src)) {
    const s = src[key];
    const hasD = Object.hasOwn(dst, key);
    const d = dst[key];
    if (s === null || s === undefined) {
      if (overwrite) setEntry(dst, key, null);
      continue;
    }
    if (isPlainMap(s)) {
      if (hasD && isPlainMap(d)) mergeInto(d, s, overwrite);
    } else if (Array.isArray(s)) {
      // mergo replaces a slice only when overwriting or the whole destination map is empty.
      const srcMapEmpty = Object.keys(src).length === 0;
      let next: unknown = hasD && d !== null ? d : [];
      if (!srcMapEmpty && (overwrite || Object.keys(dst).length === 0)) next = s;
      setEntry(dst, key, next);
    }
    if (hasD && !isEmptyValue(d) && (isPlainMap(s) || Array.isArray(s))) continue;
    if (overwrite || !hasD || isEmptyValue(d)) setEntry(dst, key, s);
  }
}

function merge(dst: GoMap | null, ...srcs: (GoMap | null)[]): unknown {
  const d = dst ?? {};
  for (const s of srcs) if (s) mergeInto(d, s, false);
  return d;
}

function mergeOverwrite(dst: GoMap | null, ...srcs: (GoMap | null)[]): unknown {
  const d = dst ?? {};
  for (const s of srcs) if (s) mergeInto(d, s, true);
  return d;
}

/** copystructure.Copy for the value model. */
export function deepCopy(v: unknown): unknown {
  if (Array.isArray(v)) {
    const type = typeName(v);
    const out = v.map(deepCopy);
    return type === "[]interface {}" ? out : withGoType(out, type);
  }
  if (isPlainMap(v)) {
    const type = typeName(v);
    const out: GoMap = {};
    for (const [k, x] of Object.entries(v)) setEntry(out, k, deepCopy(x));
    return type === "map[string]interface {}" ? out : withGoType(out, type);
  }
  return v;
}

/** Go's `x.(T)` failure text. */
function conversionPanic(v: unknown, want: string): GoPanic {
  const got = v === null || v === undefined ? "nil" : typeName(v);
  return new GoPanic(`interface conversion: interface {} is ${got}, not ${want}`);
}

function dig(...ps: unknown[]): unknown {
  if (ps.length < 3) throw new GoPanic("dig needs at least three arguments");
  // Sprig asserts the dict first, then each key, then walks.
  let d = ps[ps.length - 1];
  if (!isPlainMap(d)) throw conversionPanic(d, "map[string]interface {}");
  const def = ps[ps.length - 2] ?? null;
  const keys = ps.slice(0, -2).map((k) => {
    if (typeof k !== "string") throw conversionPanic(k, "string");
    return k;
  });
  for (let i = 0; i < keys.length; i++) {
    if (!isPlainMap(d)) throw conversionPanic(d, "map[string]interface {}");
    if (!Object.hasOwn(d, keys[i])) return def;
    if (i === keys.length - 1) return d[keys[i]] ?? null;
    d = d[keys[i]];
  }
  return def;
}

export const dictFuncs: FuncMap = {
  dict: typed([], dict, "any"),
  get: typed(
    ["map", "string"],
    (d: GoMap | null, k: string) => d && Object.hasOwn(d, k) ? (d[k] ?? null) : "",
  ),
  set: typed(["map", "string", "any"], (d: GoMap | null, k: string, v: unknown) => {
    if (!d) throw new GoPanic("assignment to entry in nil map");
    setEntry(d, k, v ?? null);
    return d;
  }),
  unset: typed(["map", "string"], (d: GoMap | null, k: string) => {
    if (d) delete d[k];
    return d;
  }),
  hasKey: typed(
    ["map", "string"],
    (d: GoMap | null, k: string) => d !== null && Object.hasOwn(d, k),
  ),
  pluck: typed(
    ["string"],
    (k: string, ...ds: (GoMap | null)[]) =>
      ds.filter((d) => d && Object.hasOwn(d, k)).map((d) => d![k] ?? null),
    "map",
  ),
  keys: typed(
    [],
    (...ds: (GoMap | null)[]) => withGoType(ds.flatMap((d) => Object.keys(m(d))), "[]string"),
    "map",
  ),
  pick: typed(["map"], (d: GoMap | null, ...ks: string[]) => {
    const out: GoMap = {};
    for (const k of ks) if (d && Object.hasOwn(d, k)) setEntry(out, k, d[k]);
    return out;
  }, "string"),
  omit: typed(["map"], (d: GoMap | null, ...ks: string[]) => {
    const out: GoMap = {};
    const drop = new Set(ks);
    for (const [k, v] of Object.entries(m(d))) if (!drop.has(k)) setEntry(out, k, v);
    return out;
  }, "string"),
  merge: typed(["map"], merge, "map"),
  mergeOverwrite: typed(["map"], mergeOverwrite, "map"),
  mustMerge: typed(["map"], merge, "map"),
  mustMergeOverwrite: typed(["map"], mergeOverwrite, "map"),
  values: typed(["map"], (d: GoMap | null) => Object.values(m(d))),
  deepCopy: typed(["any"], (v: unknown) => {
    if (v === null || v === undefined) {
      throw new GoPanic("reflect: call of reflect.Value.Type on zero Value");
    }
    return deepCopy(v);
  }),
  mustDeepCopy: typed(["any"], (v: unknown) => {
    if (v === null || v === undefined) {
      throw new GoFuncError("reflect: call of reflect.Value.Type on zero Value");
    }
    return deepCopy(v);
  }),
  dig: typed([], dig, "any"),
};
