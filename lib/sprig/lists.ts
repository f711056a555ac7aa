// Sprig's list functions (list.go): Go panics on non-lists become template errors.
import {
  checkListLength,
  type FuncMap,
  GoFuncError,
  GoPanic,
  typed,
  withGoType,
} from "../gotemplate/mod.ts";
import { empty, kindName, NIL_DEREF, toInt64 } from "./cast.ts";
import { deepEqual } from "./deep_equal.ts";

/** The elements of a slice argument, or a Go error naming the kind. */
function elements(v: unknown, what: string): unknown[] {
  if (v === null || v === undefined) throw new GoPanic(NIL_DEREF);
  if (Array.isArray(v)) return v.map((x) => x === undefined ? null : x);
  if (v instanceof Uint8Array) return [...v];
  throw new GoFuncError(`${what} ${kindName(v)}`);
}

/** Registers `name` (panics on error, as Go's panic(err) surfaces) and `mustName`. */
function both(
  name: string,
  params: ("any" | "int")[],
  fn: (...args: never[]) => unknown,
  variadic?: "any",
): FuncMap {
  const must = "must" + name[0].toUpperCase() + name.slice(1);
  return { [name]: typed(params, fn, variadic), [must]: typed(params, fn, variadic) };
}

function inList(list: unknown[], needle: unknown): boolean {
  return list.some((h) => deepEqual(needle, h));
}

function chunk(size: bigint, list: unknown): unknown[][] {
  const l = elements(list, "Cannot chunk type");
  const n = Number(size);
  const cs = Math.floor((l.length - 1) / n) + 1;
  if (!Number.isFinite(cs) || cs < 0) {
    throw new GoPanic("runtime error: makeslice: len out of range");
  }
  const out: unknown[][] = [];
  for (let i = 0; i < cs; i++) {
    let clen = n;
    if (i === cs - 1) {
      clen = Math.floor(l.length % n);
      if (clen === 0) clen = n;
    }
    out.push(l.slice(i * n, i * n + clen));
  }
  return out;
}

function sliceList(list: unknown, ...indices: unknown[]): unknown {
  const l = elements(list, "list should be type of slice or array but");
  if (l.length === 0) return null;
  const start = indices.length > 0 ? Number(toInt64(indices[0])) : 0;
  const end = indices.length < 2 ? l.length : Number(toInt64(indices[1]));
  if (start < 0 || end > l.length || start > end) {
    throw new GoPanic("reflect.Value.Slice: slice index out of bounds");
  }
  return l.slice(start, end);
}

function concat(...lists: unknown[]): unknown {
  const res: unknown[] = [];
  for (const list of lists) {
    if (list === null || list === undefined) throw new GoPanic(NIL_DEREF);
    if (!Array.isArray(list)) throw new GoPanic(`Cannot concat type ${kindName(list)} as list`);
    res.push(...list);
  }
  return res;
}

export const listFuncs: FuncMap = {
  list: typed([], (...v: unknown[]) => v.map((x) => x ?? null), "any"),
  tuple: typed([], (...v: unknown[]) => v.map((x) => x ?? null), "any"),
  ...both(
    "push",
    ["any", "any"],
    (l: unknown, v: unknown) => [...elements(l, "Cannot push on type"), v],
  ),
  ...both(
    "append",
    ["any", "any"],
    (l: unknown, v: unknown) => [...elements(l, "Cannot push on type"), v],
  ),
  ...both(
    "prepend",
    ["any", "any"],
    (l: unknown, v: unknown) => [v, ...elements(l, "Cannot prepend on type")],
  ),
  ...both("chunk", ["int", "any"], chunk),
  ...both("first", ["any"], (l: unknown) => {
    const e = elements(l, "Cannot find first on type");
    return e.length === 0 ? null : e[0];
  }),
  ...both("last", ["any"], (l: unknown) => {
    const e = elements(l, "Cannot find last on type");
    return e.length === 0 ? null : e[e.length - 1];
  }),
  ...both("rest", ["any"], (l: unknown) => elements(l, "Cannot find rest on type").slice(1)),
  ...both(
    "initial",
    ["any"],
    (l: unknown) => elements(l, "Cannot find initial on type").slice(0, -1),
  ),
  ...both("reverse", ["any"], (l: unknown) => elements(l, "Cannot find reverse on type").reverse()),
  ...both(
    "compact",
    ["any"],
    (l: unknown) => elements(l, "Cannot compact on type").filter((x) => !empty(x)),
  ),
  ...both("uniq", ["any"], (l: unknown) => {
    const dest: unknown[] = [];
    for (const x of elements(l, "Cannot find uniq on type")) if (!inList(dest, x)) dest.push(x);
    return dest;
  }),
  ...both("without", ["any"], (l: unknown, ...omit: unknown[]) => {
    const o = omit.map((x) => x ?? null);
    return elements(l, "Cannot find without on type").filter((x) => !inList(o, x));
  }, "any"),
  ...both("has", ["any", "any"], (needle: unknown, haystack: unknown) => {
    if (haystack === null || haystack === undefined) return false;
    return inList(elements(haystack, "Cannot find has on type"), needle ?? null);
  }),
  ...both("slice", ["any"], sliceList, "any"),
  concat: typed([], concat, "any"),
  until: typed(["int"], (n: bigint) => withGoType(untilStep(0n, n, n >= 0n ? 1n : -1n), "[]int")),
  untilStep: typed(
    ["int", "int", "int"],
    (a: bigint, b: bigint, c: bigint) => withGoType(untilStep(a, b, c), "[]int"),
  ),
  seq: typed([], seq, "int"),
};

function untilStep(start: bigint, stop: bigint, step: bigint): bigint[] {
  // Go allocates whatever it is asked for; here a render's budget bounds the list first.
  const length = step === 0n ? 0n : (stop - start + step - (step > 0n ? 1n : -1n)) / step;
  if (length > 0n) checkListLength(Number(length), "list builder");
  const v: bigint[] = [];
  if (stop < start) {
    if (step >= 0n) return v;
    for (let i = start; i > stop; i += step) v.push(i);
    return v;
  }
  if (step <= 0n) return v;
  for (let i = start; i < stop; i += step) v.push(i);
  return v;
}

function seq(...params: bigint[]): string {
  const join = (a: bigint[]) => a.join(" ");
  switch (params.length) {
    case 1: {
      const end = params[0];
      const inc = end < 1n ? -1n : 1n;
      return join(untilStep(1n, end + inc, inc));
    }
    case 2: {
      const [start, end] = params;
      const step = end < start ? -1n : 1n;
      return join(untilStep(start, end + step, step));
    }
    case 3: {
      const [start, step, end] = params;
      let inc = 1n;
      if (end < start) {
        inc = -1n;
        if (step > 0n) return "";
      }
      return join(untilStep(start, end + inc, step));
    }
  }
  return "";
}
