// The conversions Sprig relies on: spf13/cast's ToInt64/ToFloat64 (what `int`, `add`, `max`...
// do to their arguments), Sprig's strval (toString) and empty, and reflect.Kind names.
import {
  GoFloat32,
  GoInt,
  goQuote,
  isPlainMap,
  isTrue,
  kindOf,
  sprintf,
  typeName,
} from "../gotemplate/mod.ts";

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** Go's int64(f) conversion: truncation; out of range gives the minimum value, as on amd64. */
export function floatToInt64(f: number): bigint {
  if (Number.isNaN(f) || f >= 2 ** 63 || f < -(2 ** 63)) return INT64_MIN;
  return BigInt(Math.trunc(f));
}

/** cast.ToInt64 (errors become 0, as Sprig ignores them). */
export function toInt64(v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if (v instanceof GoInt) return BigInt.asIntN(64, v.value);
  if (typeof v === "number") return floatToInt64(v);
  if (v instanceof GoFloat32) return floatToInt64(v.value);
  if (typeof v === "boolean") return v ? 1n : 0n;
  if (typeof v === "string") {
    const n = parseIntBase0(trimZeroDecimal(v));
    return n ?? 0n;
  }
  return 0n;
}

/** cast.ToFloat64. */
export function toFloat64(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof GoInt || v instanceof GoFloat32) return Number(v.value);
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") {
    const s = v.trim() === v ? v : "";
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
    if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith("-") ? -Infinity : Infinity;
    if (/^nan$/i.test(s)) return NaN;
    return 0;
  }
  return 0;
}

function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === ".") {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === "0") foundZero = true;
    else return s;
  }
  return s;
}

/** strconv.ParseInt(s, 0, 64): undefined when invalid or out of range. */
export function parseIntBase0(s: string): bigint | undefined {
  const m = /^([+-]?)(0[xX]|0[oO]|0[bB]|0(?=[0-7_]))?(.*)$/.exec(s);
  if (!m) return undefined;
  const prefix = (m[2] ?? "").toLowerCase();
  const digitClass = { "0x": "[0-9a-fA-F]", "0o": "[0-7]", "0b": "[01]", "0": "[0-7]" }[prefix] ??
    "[0-9]";
  // Underscores only between digits, or right after a base prefix.
  const lead = prefix === "" ? "" : "_?";
  if (!new RegExp(`^${lead}${digitClass}+(_${digitClass}+)*$`).test(m[3])) return undefined;
  const digits = m[3].replaceAll("_", "");
  const base = prefix === "0" ? "0o" : prefix;
  let n = BigInt(base + digits);
  if (m[1] === "-") n = -n;
  if (n < INT64_MIN || n > INT64_MAX) return undefined;
  return n;
}

/** strconv.Atoi: undefined when invalid. */
export function atoi(s: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/** Sprig's strval: strings as is, errors and Stringers by their methods, else %v. */
export function strval(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  if (v !== null && typeof v === "object" && !Array.isArray(v) && !isPlainMap(v)) {
    const o = v as { Error?: () => string; String?: () => string };
    if (typeof o.Error === "function") return o.Error();
    if (typeof o.String === "function") return o.String();
  }
  return sprintf("%v", [v ?? null]);
}

/** Sprig's empty: Go's zero values (nil, 0, "", false, empty collections); structs never. */
export function empty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (kindOf(v) === "struct") return false;
  return !isTrue(v);
}

/** reflect.Kind's name of a value, as `kindOf` and Sprig's error messages print it. */
export function kindName(v: unknown): string {
  if (v instanceof GoInt) return v.kind;
  if (v instanceof GoFloat32) return "float32";
  switch (kindOf(v)) {
    case "invalid":
      return "invalid";
    case "bool":
      return "bool";
    case "int":
      return "int";
    case "float":
      return "float64";
    case "string":
      return "string";
    case "slice":
      return "slice";
    case "map":
      return "map";
    case "func":
      return "func";
  }
  return "ptr";
}

/** reflect.TypeOf(nil).Kind() panics in Go; Sprig's list functions hit this on nil. */
export const NIL_DEREF = "runtime error: invalid memory address or nil pointer dereference";

/** Go's %#v of a value, enough for cast's error messages. */
export function goSyntax(v: unknown): string {
  if (typeof v === "string") return goQuote(v);
  return sprintf("%v", [v]);
}

export { typeName };
