// Values of the template value model seen through Go's encoding/json, the first step of Helm's
// toYaml/toJson: Go ints as integers, float64 as JSON writes them, []byte as base64, structs as
// their JSON fields. Non-finite floats and functions cannot be encoded (json.Marshal fails).
import { GoFloat32, GoInt } from "../../gotemplate/mod.ts";
import { formatJsonFloat } from "./go_float.ts";

/** A JSON number kept as text so that int64 precision survives. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | {
  [k: string]: JsonValue;
};

export class JsonEncodeError extends Error {
  override readonly name = "JsonEncodeError";
}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function toJsonValue(v: unknown): JsonValue {
  switch (typeof v) {
    case "undefined":
      return null;
    case "boolean":
    case "string":
      return v;
    case "bigint":
      return new JsonNumber(v.toString());
    case "number": {
      const text = formatJsonFloat(v);
      if (text === undefined) throw new JsonEncodeError(`json: unsupported value: ${v}`);
      return new JsonNumber(text);
    }
    case "function":
      throw new JsonEncodeError("json: unsupported type: func");
    case "symbol":
      throw new JsonEncodeError("json: unsupported type");
  }
  if (v === null) return null;
  if (v instanceof GoInt) return new JsonNumber(v.value.toString());
  if (v instanceof GoFloat32) return toJsonValue(v.value);
  if (v instanceof JsonNumber) return v;
  if (v instanceof Uint8Array) return base64(v);
  if (Array.isArray(v)) return v.map(toJsonValue);
  const withJson = v as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === "function") return toJsonValue(withJson.toJSON());
  const out: { [k: string]: JsonValue } = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (val === undefined) continue;
    out[k] = toJsonValue(val);
  }
  return out;
}

function quoteJsonString(s: string): string {
  // Go escapes <, > and & (HTML safety) and the JS line separators; otherwise like JSON.stringify.
  return JSON.stringify(s).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** json.Marshal output: compact, map keys sorted by bytes. */
export function marshalJson(v: JsonValue): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "string") return quoteJsonString(v);
  if (v instanceof JsonNumber) return v.text;
  if (Array.isArray(v)) return `[${v.map(marshalJson).join(",")}]`;
  const keys = Object.keys(v).sort(compareBytes);
  return `{${keys.map((k) => `${quoteJsonString(k)}:${marshalJson(v[k])}`).join(",")}}`;
}

/** Go's string comparison (UTF-8 bytes), which differs from JS's UTF-16 order above U+FFFF. */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  // UTF-16 order equals code point (= UTF-8 byte) order unless surrogates are involved.
  if (!/[\ud800-\udfff]/.test(a) && !/[\ud800-\udfff]/.test(b)) return a < b ? -1 : 1;
  const ea = new TextEncoder().encode(a);
  const eb = new TextEncoder().encode(b);
  const n = Math.min(ea.length, eb.length);
  for (let i = 0; i < n; i++) if (ea[i] !== eb[i]) return ea[i] - eb[i];
  return ea.length - eb.length;
}
