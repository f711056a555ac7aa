// go-yaml v2's implicit typing of plain scalars (its `resolve`), shared by the writers that must
// print what Go prints (Helm's toYaml, `kustomize build`): which strings would read back as
// something other than a string, and so must be quoted when written.

const BOOL_OR_NULL = new Set([
  "y",
  "Y",
  "yes",
  "Yes",
  "YES",
  "on",
  "On",
  "ON",
  "true",
  "True",
  "TRUE",
  "n",
  "N",
  "no",
  "No",
  "NO",
  "off",
  "Off",
  "OFF",
  "false",
  "False",
  "FALSE",
  "",
  "~",
  "null",
  "Null",
  "NULL",
  ".nan",
  ".NaN",
  ".NAN",
  ".inf",
  ".Inf",
  ".INF",
  "+.inf",
  "+.Inf",
  "+.INF",
  "-.inf",
  "-.Inf",
  "-.INF",
  "<<",
]);

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::\d{2})?))?)?$/;

/** Go's strconv.ParseInt/ParseUint(s, 0, 64) succeeding. */
function isGoInt(s: string): boolean {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return false;
  let body = m[2];
  let n: bigint;
  if (/^0[oO]/.test(body)) body = "0o" + body.slice(2);
  else if (/^0[0-7]+$/.test(body)) body = "0o" + body.slice(1);
  try {
    n = BigInt(body);
  } catch {
    return false;
  }
  if (m[1] === "-") return n <= 1n << 63n;
  return n < 1n << 64n;
}

function validDate(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
}

function isTimestamp(s: string): boolean {
  const m = TIMESTAMP.exec(s);
  if (!m) return false;
  if (!validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59)) {
    return false;
  }
  return true;
}

/** Whether go-yaml v2 would read the plain scalar `s` back as a string. */
export function resolvesToString(s: string): boolean {
  if (BOOL_OR_NULL.has(s)) return false;
  const c = s[0];
  if (c === ".") return !/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s);
  if (c === "+" || c === "-" || (c >= "0" && c <= "9")) {
    if (isTimestamp(s)) return false;
    const plain = s.replaceAll("_", "");
    if (isGoInt(plain)) return false;
    if (YAML_STYLE_FLOAT.test(plain)) return false;
    if (/^-?0b[01]+$/.test(plain)) return false;
    return true;
  }
  return true;
}

/** Strings that look like YAML 1.1 sexagesimal floats are quoted too. */
export function isBase60Float(s: string): boolean {
  return s !== "" && BASE60_FLOAT.test(s);
}

/**
 * Whether go-yaml v2's encoder may write `s` as a plain scalar: it reads back as a string and does
 * not look like a YAML 1.1 sexagesimal float (which the encoder quotes too).
 */
export function plainReadsAsString(s: string): boolean {
  return resolvesToString(s) && !isBase60Float(s);
}
