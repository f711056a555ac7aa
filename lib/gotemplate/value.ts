// The value model: how Go values of text/template are represented in JavaScript. See mod.ts for
// the table. Everything that needs a value's Go type (printing, %T, comparisons, argument checks)
// asks this file, so the mapping lives in one place.

/** Go's integer kinds other than plain `int` (which is a bare `bigint`). */
export type IntKind =
  | "int64"
  | "int32"
  | "int16"
  | "int8"
  | "uint"
  | "uint64"
  | "uint32"
  | "uint16"
  | "uint8"
  | "uintptr";

/** A Go integer of a sized kind (`int64(5)`, `uint8(3)`); plain Go `int` is a JS `bigint`. */
export class GoInt {
  constructor(readonly value: bigint, readonly kind: IntKind) {}
}

/** A Go float32 (rare: only reachable through funcs that return one). float64 is a JS number. */
export class GoFloat32 {
  constructor(readonly value: number) {}
}

/**
 * Set on an array or a plain object to name its Go type when it is not the default
 * (`[]interface {}` / `map[string]interface {}`), e.g. `"[]string"` for Sprig's `splitList`.
 */
export const GO_TYPE: unique symbol = Symbol.for("skiff.gotemplate.type");

export type GoMap = Record<string, unknown>;

/** The Go `reflect.Kind` families text/template and fmt branch on. */
export type Kind =
  | "invalid"
  | "bool"
  | "int"
  | "uint"
  | "float"
  | "string"
  | "slice"
  | "map"
  | "struct"
  | "func";

/**
 * Sets a map entry. Plain assignment of "__proto__" would change the object's prototype
 * instead of adding the key a YAML file or a template asked for.
 */
export function setEntry(map: GoMap, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(map, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else map[key] = value;
}

/** Go `int` (64-bit) from a JS number or bigint. */
export function goInt(n: number | bigint): bigint {
  return typeof n === "bigint" ? BigInt.asIntN(64, n) : BigInt.asIntN(64, BigInt(Math.trunc(n)));
}

/** Go `int64`. */
export function goInt64(n: number | bigint): GoInt {
  return new GoInt(goInt(n), "int64");
}

/** Tags an array or plain object with its Go type name, returning it. */
export function withGoType<T extends object>(value: T, type: string): T {
  Object.defineProperty(value, GO_TYPE, { value: type, enumerable: false, configurable: true });
  return value;
}

export function isPlainMap(v: unknown): v is GoMap {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A struct is any object made by a class (Helm's .Release, .Chart, time.Time...). */
export function isStruct(v: unknown): v is object {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !isPlainMap(v) &&
    !(v instanceof GoInt) && !(v instanceof GoFloat32) && !(v instanceof Uint8Array);
}

export function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case "undefined":
      return "invalid";
    case "boolean":
      return "bool";
    case "bigint":
      return "int";
    case "number":
      return "float";
    case "string":
      return "string";
    case "function":
      return "func";
  }
  if (v === null) return "invalid";
  if (v instanceof GoInt) return v.kind.startsWith("u") ? "uint" : "int";
  if (v instanceof GoFloat32) return "float";
  if (Array.isArray(v) || v instanceof Uint8Array) return "slice";
  if (isPlainMap(v)) return "map";
  return "struct";
}

/** The name Go's `%T` prints for a value. */
export function typeName(v: unknown): string {
  switch (typeof v) {
    case "undefined":
      return "<nil>";
    case "boolean":
      return "bool";
    case "bigint":
      return "int";
    case "number":
      return "float64";
    case "string":
      return "string";
    case "function":
      return "func(...interface {}) interface {}";
  }
  if (v === null) return "<nil>";
  if (v instanceof GoInt) return v.kind;
  if (v instanceof GoFloat32) return "float32";
  if (v instanceof Uint8Array) return "[]uint8";
  const tagged = (v as { [GO_TYPE]?: string })[GO_TYPE];
  if (tagged) return tagged;
  if (Array.isArray(v)) return "[]interface {}";
  if (isPlainMap(v)) return "map[string]interface {}";
  const ctor = (v as { constructor?: { goType?: string; name?: string } }).constructor;
  return ctor?.goType ?? ctor?.name ?? "struct {}";
}

/** The integer value of any Go integer kind, or undefined when `v` is not an integer. */
export function intValue(v: unknown): bigint | undefined {
  if (typeof v === "bigint") return v;
  if (v instanceof GoInt) return v.value;
  return undefined;
}

/** The float value of a Go float kind, or undefined. */
export function floatValue(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (v instanceof GoFloat32) return v.value;
  return undefined;
}

/** Go's notion of an empty value, used by `if`, `with`, `and`, `or`, `not`. */
export function isTrue(v: unknown): boolean {
  switch (typeof v) {
    case "undefined":
      return false;
    case "boolean":
      return v;
    case "bigint":
      return v !== 0n;
    case "number":
      return v !== 0;
    case "string":
      return v.length > 0;
    case "function":
      return true;
  }
  if (v === null) return false;
  if (v instanceof GoInt) return v.value !== 0n;
  if (v instanceof GoFloat32) return v.value !== 0;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length > 0;
  if (isPlainMap(v)) {
    for (const _ in v) return true;
    return false;
  }
  if (v instanceof Map) return v.size > 0;
  return true;
}

/**
 * Converts plain JS data (from the `yaml` or JSON parsers) into the value model the way
 * sigs.k8s.io/yaml + encoding/json do for Helm's values: every number becomes float64 (a JS
 * number), objects map[string]interface{}, arrays []interface{}. Pass `{ integers: true }` to get
 * Go `int64` for integral numbers instead (what `--set` and go-yaml produce).
 */
export function fromPlain(data: unknown, options: { integers?: boolean } = {}): unknown {
  return convertPlain(data, options.integers === true);
}

function convertPlain(data: unknown, integers: boolean): unknown {
  if (typeof data === "number") {
    return integers && Number.isInteger(data) ? goInt64(data) : data;
  }
  if (typeof data === "bigint") {
    return integers ? new GoInt(BigInt.asIntN(64, data), "int64") : Number(data);
  }
  if (Array.isArray(data)) return data.map((x) => convertPlain(x, integers));
  // A YAML timestamp: encoding/json writes time.Time as RFC 3339 without zero fractions.
  if (data instanceof Date) return data.toISOString().replace(".000Z", "Z");
  if (data !== null && typeof data === "object") {
    if (!isPlainMap(data)) return data;
    const out: GoMap = {};
    for (const [k, v] of Object.entries(data)) setEntry(out, k, convertPlain(v, integers));
    return out;
  }
  return data === undefined ? null : data;
}
