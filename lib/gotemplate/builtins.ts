// Go's predefined template functions (and, or, not, len, index, slice, print*, html, js,
// urlquery, eq, ne, lt, le, gt, ge, call), with Go's results and error messages.
import { GoFuncError, GoPanic } from "./errors.ts";
import { sprint, sprintf, sprintln } from "./fmt.ts";
import { type FuncMap, typed } from "./funcs.ts";
import { GoFloat32, GoInt, isPlainMap, isTrue, kindOf, typeName } from "./value.ts";

const utf8 = new TextEncoder();

function byteLen(s: string): number {
  // deno-lint-ignore no-control-regex
  return /^[\x00-\x7f]*$/.test(s) ? s.length : utf8.encode(s).length;
}

function length(item: unknown): bigint {
  if (item === null) throw new GoFuncError("len of nil pointer");
  if (item === undefined) throw new GoPanic("reflect: call of reflect.Value.Type on zero Value");
  if (typeof item === "string") return BigInt(byteLen(item));
  if (Array.isArray(item) || item instanceof Uint8Array) return BigInt(item.length);
  if (isPlainMap(item)) return BigInt(Object.keys(item).length);
  if (item instanceof Map) return BigInt(item.size);
  throw new GoFuncError(`len of type ${typeName(item)}`);
}

function indexArg(index: unknown, cap: number): number {
  let x: bigint;
  if (typeof index === "bigint") x = index;
  else if (index instanceof GoInt) x = index.value;
  else if (index === undefined || index === null) {
    throw new GoFuncError("cannot index slice/array with nil");
  } else throw new GoFuncError(`cannot index slice/array with type ${typeName(index)}`);
  if (x < 0n || x > BigInt(cap)) throw new GoFuncError(`index out of range: ${x}`);
  return Number(x);
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new GoFuncError("index of untyped nil");
  for (const idx of indexes) {
    if (item === null) throw new GoFuncError("index of nil pointer");
    if (typeof item === "string") {
      const bytes = utf8.encode(item);
      const x = indexArg(idx, bytes.length);
      if (x >= bytes.length) throw new GoPanic(`reflect: string index out of range`);
      item = new GoInt(BigInt(bytes[x]), "uint8");
    } else if (Array.isArray(item)) {
      const x = indexArg(idx, item.length);
      if (x >= item.length) throw new GoPanic("reflect: slice index out of range");
      item = item[x] === undefined ? null : item[x];
    } else if (isPlainMap(item)) {
      if (idx === undefined || idx === null) {
        throw new GoFuncError("value is nil; should be of type string");
      }
      if (typeof idx !== "string") {
        throw new GoFuncError(`value has type ${typeName(idx)}; should be string`);
      }
      item = Object.hasOwn(item, idx) ? (item[idx] ?? null) : null;
    } else {
      throw new GoFuncError(`can't index item of type ${typeName(item)}`);
    }
  }
  return item;
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new GoFuncError("slice of untyped nil");
  if (indexes.length > 3) throw new GoFuncError(`too many slice indexes: ${indexes.length}`);
  let len: number;
  let bytes: Uint8Array | undefined;
  if (typeof item === "string") {
    if (indexes.length === 3) throw new GoFuncError("cannot 3-index slice a string");
    bytes = utf8.encode(item);
    len = bytes.length;
  } else if (Array.isArray(item)) len = item.length;
  else throw new GoFuncError(`can't slice item of type ${typeName(item)}`);
  const idx = [0, len, len];
  indexes.forEach((x, i) => idx[i] = indexArg(x, len));
  if (idx[0] > idx[1]) throw new GoFuncError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1] > idx[2]) {
    throw new GoFuncError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  }
  if (bytes) return new TextDecoder().decode(bytes.subarray(idx[0], idx[1]));
  return (item as unknown[]).slice(idx[0], idx[1]);
}

type BasicKind = "bool" | "int" | "uint" | "float" | "string" | "invalid";

function basicKind(v: unknown): BasicKind {
  const k = kindOf(v);
  if (k === "bool" || k === "int" || k === "uint" || k === "float" || k === "string") return k;
  return "invalid";
}

const errBadComparisonType = "invalid type for comparison";
const errBadComparison = "incompatible types for comparison";

function num(v: unknown): bigint | number {
  if (typeof v === "bigint" || typeof v === "number") return v;
  if (v instanceof GoInt) return v.value;
  if (v instanceof GoFloat32) return v.value;
  throw new Error("not a number");
}

function eq(arg1: unknown, ...arg2: unknown[]): boolean {
  if (arg1 === null) arg1 = undefined;
  if (arg2.length === 0) throw new GoFuncError("missing argument for comparison");
  const k1 = basicKind(arg1);
  for (let arg of arg2) {
    if (arg === null) arg = undefined;
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if ((k1 === "int" && k2 === "uint") || (k1 === "uint" && k2 === "int")) {
        truth = num(arg1) === num(arg);
      } else if (arg1 !== undefined && arg !== undefined) {
        throw new GoFuncError(errBadComparison);
      }
    } else if (k1 === "invalid") {
      // Neither is a basic kind: nil, slices, maps, structs, funcs.
      const r1 = kindOf(arg1);
      const r2 = kindOf(arg);
      if (r1 !== r2 && r1 !== "invalid" && r2 !== "invalid") {
        throw new GoFuncError(
          `non-comparable types ${sprintf("%s", [arg1])}: ${typeName(arg1)}, ${typeName(arg)}: ${
            sprintf("%v", [arg])
          }`,
        );
      }
      if (arg1 === undefined || arg === undefined) truth = arg1 === arg;
      else if (r2 === "slice" || r2 === "map" || r2 === "func") {
        throw new GoFuncError(`non-comparable type ${sprintf("%s", [arg])}: ${typeName(arg)}`);
      } else truth = arg1 === arg;
    } else {
      truth = num2(arg1) === num2(arg);
    }
    if (truth) return true;
  }
  return false;
}

function num2(v: unknown): unknown {
  if (v instanceof GoInt || v instanceof GoFloat32) return v.value;
  return v;
}

function lt(arg1: unknown, arg2: unknown): boolean {
  if (arg1 === null) arg1 = undefined;
  if (arg2 === null) arg2 = undefined;
  const k1 = basicKind(arg1);
  if (k1 === "invalid") throw new GoFuncError(errBadComparisonType);
  const k2 = basicKind(arg2);
  if (k2 === "invalid") throw new GoFuncError(errBadComparisonType);
  if (k1 !== k2) {
    if (k1 === "int" && k2 === "uint") return num(arg1) < 0n || num(arg1) < num(arg2);
    if (k1 === "uint" && k2 === "int") return num(arg2) >= 0n && num(arg1) < num(arg2);
    throw new GoFuncError(errBadComparison);
  }
  if (k1 === "bool") throw new GoFuncError(errBadComparisonType);
  const a = num2(arg1) as string | number | bigint;
  const b = num2(arg2) as string | number | bigint;
  return a < b;
}

function le(a: unknown, b: unknown): boolean {
  return lt(a, b) || eq(a, b);
}

/** HTMLEscapeString. */
export function htmlEscape(s: string): string {
  return s.replace(/[<>&'"\0]/g, (c) =>
    ({
      "<": "&lt;",
      ">": "&gt;",
      "&": "&amp;",
      "'": "&#39;",
      '"': "&#34;",
      "\0": "\uFFFD",
    })[c]!);
}

/** JSEscapeString. */
export function jsEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case "\\":
        out += "\\\\";
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case "<":
        out += "\\u003C";
        continue;
      case ">":
        out += "\\u003E";
        continue;
      case "&":
        out += "\\u0026";
        continue;
      case "=":
        out += "\\u003D";
        continue;
    }
    if (c < 0x20) out += `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
    else if (c < 0x80 || isPrintableUnicode(ch)) out += ch;
    else out += `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
  }
  return out;
}

function isPrintableUnicode(ch: string): boolean {
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S}\u0020]$/u.test(ch);
}

/** QueryEscape of the Sprint of the args. */
export function urlQueryEscape(s: string): string {
  let out = "";
  for (const b of utf8.encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** Go's evalArgs for html/js/urlquery: a single string argument is used as is. */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === "string") return args[0];
  return sprint(args.map((a) => a === undefined || a === null ? "<no value>" : a));
}

function call(fn: unknown, ...args: unknown[]): unknown {
  if (fn === undefined || fn === null) throw new GoFuncError("call of nil");
  if (typeof fn !== "function") throw new GoFuncError(`non-function of type ${typeName(fn)}`);
  return fn(...args);
}

function printArgs(args: unknown[]): unknown[] {
  return args.map((a) => a === undefined ? null : a);
}

/** The builtins, typed as Go declares them (reflect.Value params see `undefined` for "missing"). */
export const BUILTINS: FuncMap = {
  // and/or short-circuit, so the executor evaluates them itself; these entries make them known.
  and: typed(["value"], (a: unknown) => a, "value"),
  or: typed(["value"], (a: unknown) => a, "value"),
  not: typed(["value"], (a: unknown) => !isTrue(a)),
  len: typed(["value"], length),
  index: typed(["value"], index, "value"),
  slice: typed(["value"], slice, "value"),
  print: typed([], (...a: unknown[]) => sprint(printArgs(a)), "any"),
  printf: typed(["string"], (f: string, ...a: unknown[]) => sprintf(f, printArgs(a)), "any"),
  println: typed([], (...a: unknown[]) => sprintln(printArgs(a)), "any"),
  html: typed([], (...a: unknown[]) => htmlEscape(evalArgs(a)), "any"),
  js: typed([], (...a: unknown[]) => jsEscape(evalArgs(a)), "any"),
  urlquery: typed([], (...a: unknown[]) => urlQueryEscape(evalArgs(a)), "any"),
  eq: typed(["value"], eq, "value"),
  ne: typed(["value", "value"], (a: unknown, b: unknown) => !eq(a, b)),
  lt: typed(["value", "value"], lt),
  le: typed(["value", "value"], le),
  gt: typed(["value", "value"], (a: unknown, b: unknown) => !le(a, b)),
  ge: typed(["value", "value"], (a: unknown, b: unknown) => !lt(a, b)),
  call: typed(["value"], call, "value"),
};
