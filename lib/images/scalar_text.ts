// Writing a new value in place of an existing YAML scalar, in the same quoting style, the way a
// person editing the file would: plain stays plain, quotes stay quotes. A plain value that YAML
// 1.1 readers would take for a number, boolean or null (a tag like `1.10` or `true`) is
// double-quoted, as Flux's setters (kyaml) do, so the field stays a string.

export type ScalarStyle = "plain" | "single-quoted" | "double-quoted";

export function renderScalar(value: string, style: ScalarStyle, inFlow: boolean): string {
  if (style === "single-quoted") return `'${value.replaceAll("'", "''")}'`;
  if (style === "double-quoted") return doubleQuoted(value);
  if (!isPlainSafe(value, inFlow) || isYaml11NonString(value)) return doubleQuoted(value);
  return value;
}

function doubleQuoted(value: string): string {
  // JSON string escapes are all valid YAML double-quoted escapes.
  return JSON.stringify(value);
}

const INDICATOR_START = /^[-?:,[\]{}#&*!|>'"%@`\s]/;

function isPlainSafe(value: string, inFlow: boolean): boolean {
  if (value === "" || /[\n\r\t]/.test(value)) return false;
  if (value !== value.trim()) return false;
  // `-`, `?`, `:` may start a plain scalar when followed by a non-space character.
  if (INDICATOR_START.test(value) && !/^[-?:][^\s]/.test(value)) return false;
  if (value.includes(": ") || value.endsWith(":") || value.includes(" #")) return false;
  if (inFlow && /[,[\]{}]/.test(value)) return false;
  if (value === "---" || value === "...") return false;
  return true;
}

// The plain scalars go-yaml v2 (YAML 1.1) resolves to something other than a string.
const YAML11_KEYWORDS = new Set([
  "",
  "~",
  "null",
  "Null",
  "NULL",
  "y",
  "Y",
  "yes",
  "Yes",
  "YES",
  "n",
  "N",
  "no",
  "No",
  "NO",
  "true",
  "True",
  "TRUE",
  "false",
  "False",
  "FALSE",
  "on",
  "On",
  "ON",
  "off",
  "Off",
  "OFF",
  ".inf",
  ".Inf",
  ".INF",
  "+.inf",
  "+.Inf",
  "+.INF",
  "-.inf",
  "-.Inf",
  "-.INF",
  ".nan",
  ".NaN",
  ".NAN",
  "<<",
]);
const YAML11_INT = /^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|[0-9][0-9_]*)$/;
const YAML11_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

export function isYaml11NonString(value: string): boolean {
  if (YAML11_KEYWORDS.has(value)) return true;
  const compact = value.replaceAll("_", "");
  return YAML11_INT.test(value) && /[0-9a-fA-F]/.test(compact) || YAML11_FLOAT.test(value);
}
