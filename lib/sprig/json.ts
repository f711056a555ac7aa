// encoding/json as Go marshals the value model: sorted map keys, HTML-safe escaping (unless
// turned off, as toRawJson does), Go's float format, MarshalIndent layout; and parsing back
// into the model (numbers become float64, as json.Unmarshal into interface{} does).
import { formatFloat, GoFloat32, GoInt, isPlainMap, setEntry } from "../gotemplate/mod.ts";

export class JsonError extends Error {
  override readonly name = "JsonError";
}

export interface MarshalOptions {
  escapeHTML?: boolean;
  indent?: string;
}

/** json.Marshal / MarshalIndent("", indent). Throws JsonError for NaN/Inf, like Go. */
export function marshalJson(v: unknown, options: MarshalOptions = {}): string {
  return encode(v, options.escapeHTML ?? true, options.indent ?? "", "");
}

function encode(v: unknown, html: boolean, indent: string, prefix: string): string {
  if (v === null || v === undefined) return "null";
  switch (typeof v) {
    case "boolean":
      return v ? "true" : "false";
    case "bigint":
      return v.toString();
    case "number":
      return encodeFloat(v);
    case "string":
      return quoteJson(v, html);
    case "function":
      throw new JsonError("json: unsupported type: func(...interface {}) interface {}");
  }
  if (v instanceof GoInt) return v.value.toString();
  if (v instanceof GoFloat32) return encodeFloat(v.value);
  if (v instanceof Uint8Array) return `"${btoa(String.fromCharCode(...v))}"`;
  const inner = prefix + indent;
  const nl = indent ? "\n" : "";
  const colon = indent ? ": " : ":";
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    const parts = v.map((x) => (indent ? inner : "") + encode(x, html, indent, inner));
    return `[${nl}${parts.join("," + nl)}${nl}${indent ? prefix : ""}]`;
  }
  let entries: [string, unknown][];
  if (isPlainMap(v)) {
    entries = Object.keys(v).sort().map((k) => [k, v[k]]);
  } else {
    const o = v as { toJSON?: () => unknown };
    if (typeof o.toJSON === "function") return encode(o.toJSON(), html, indent, prefix);
    entries = Object.entries(v as object).filter(([, x]) => typeof x !== "function");
  }
  if (entries.length === 0) return "{}";
  const parts = entries.map(([k, x]) =>
    (indent ? inner : "") + quoteJson(k, html) + colon + encode(x, html, indent, inner)
  );
  return `{${nl}${parts.join("," + nl)}${nl}${indent ? prefix : ""}}`;
}

function encodeFloat(f: number): string {
  if (!Number.isFinite(f)) {
    throw new JsonError(
      `json: unsupported value: ${Number.isNaN(f) ? "NaN" : f > 0 ? "+Inf" : "-Inf"}`,
    );
  }
  const abs = Math.abs(f);
  const exp = abs !== 0 && (abs < 1e-6 || abs >= 1e21);
  let s = formatFloat(f, exp ? "e" : "f", -1);
  if (exp) s = s.replace(/e([+-])0(\d)$/, "e$1$2");
  return s;
}

/** Go's JSON string quoting. */
export function quoteJson(s: string, html = true): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const c = s.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (c < 0x20) {
      if (ch === "\n") out += "\\n";
      else if (ch === "\r") out += "\\r";
      else if (ch === "\t") out += "\\t";
      else out += "\\u00" + c.toString(16).padStart(2, "0");
    } else if (html && (ch === "<" || ch === ">" || ch === "&")) {
      out += "\\u00" + c.toString(16);
    } else if (c === 0x2028 || c === 0x2029) out += "\\u" + c.toString(16);
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        out += ch + s[i + 1];
        i++;
      } else out += "\\ufffd";
    } else if (c >= 0xd800 && c < 0xe000) out += "\\ufffd";
    else out += ch;
  }
  return out + '"';
}

/** json.Unmarshal into interface{}: objects → maps, numbers → float64. Throws JsonError. */
export function parseJson(text: string): unknown {
  if (text.trim() === "") throw new JsonError("unexpected end of JSON input");
  try {
    return toModel(JSON.parse(text));
  } catch (e) {
    if (e instanceof SyntaxError) throw new JsonError(goJsonSyntaxMessage(text, e));
    throw e;
  }
}

function goJsonSyntaxMessage(text: string, e: SyntaxError): string {
  const m = /position (\d+)/.exec(e.message);
  if (m) {
    const ch = text[Number(m[1])];
    if (ch !== undefined) {
      return `invalid character '${ch}' looking for beginning of value`;
    }
  }
  return "unexpected end of JSON input";
}

function toModel(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toModel);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) setEntry(out, k, toModel(x));
    return out;
  }
  return v;
}
