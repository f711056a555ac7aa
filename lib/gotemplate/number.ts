// Number constants of the template language, parsed with Go's rules (strconv.ParseInt with base
// 0, ParseUint, ParseFloat; char constants; the int/uint/float flags of parse.NumberNode).
import { unquoteChar } from "./quote.ts";

export interface NumberValue {
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int: bigint;
  float: number;
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** Parses a number or char constant; throws an Error with Go's message when invalid. */
export function parseNumber(text: string, isChar: boolean): NumberValue {
  const n: NumberValue = {
    isInt: false,
    isUint: false,
    isFloat: false,
    isComplex: false,
    int: 0n,
    float: 0,
  };
  if (isChar) {
    const { value, tail } = unquoteChar(text.slice(1), "'");
    if (tail !== "'") throw new Error(`malformed character constant: ${text}`);
    return { ...n, isInt: true, isUint: true, isFloat: true, int: BigInt(value), float: value };
  }
  if (text.endsWith("i")) {
    const f = parseGoFloat(text.slice(0, -1));
    if (f !== undefined) {
      // A purely imaginary zero simplifies to 0, anything else stays complex (unsupported).
      if (f === 0) return { ...n, isInt: true, isUint: true, isFloat: true };
      return { ...n, isComplex: true };
    }
  }
  const big = parseGoInteger(text);
  if (big !== undefined) {
    if (big >= 0n && big <= UINT64_MAX && !text.startsWith("-") && !text.startsWith("+")) {
      n.isUint = true;
    }
    if (big >= INT64_MIN && big <= INT64_MAX) {
      n.isInt = true;
      n.int = big;
      if (big === 0n) n.isUint = true;
    }
    if (n.isInt || n.isUint) {
      n.isFloat = true;
      n.float = Number(big);
      return n;
    }
  }
  const f = parseGoFloat(text);
  if (f !== undefined) {
    if (!/[.eEpP]/.test(text)) throw new Error(`integer overflow: ${JSON.stringify(text)}`);
    n.isFloat = true;
    n.float = f;
    if (Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63) {
      n.isInt = true;
      n.int = BigInt(f);
    }
    if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) n.isUint = true;
  }
  if (!n.isInt && !n.isUint && !n.isFloat) {
    throw new Error(`illegal number syntax: ${JSON.stringify(text)}`);
  }
  return n;
}

/** strconv.ParseInt(text, 0, big) without the range check; undefined when not an integer. */
export function parseGoInteger(text: string): bigint | undefined {
  let s = text;
  let sign = 1n;
  if (s.startsWith("+") || s.startsWith("-")) {
    if (s[0] === "-") sign = -1n;
    s = s.slice(1);
  }
  let base = 10;
  let digits = s;
  let prefixed = false;
  if (/^0[xX]/.test(s)) [base, digits, prefixed] = [16, s.slice(2), true];
  else if (/^0[oO]/.test(s)) [base, digits, prefixed] = [8, s.slice(2), true];
  else if (/^0[bB]/.test(s)) [base, digits, prefixed] = [2, s.slice(2), true];
  else if (s.length > 1 && s[0] === "0") [base, digits, prefixed] = [8, s.slice(1), true];
  if (digits.includes("_") && !underscoreOK(s)) return undefined;
  digits = digits.replaceAll("_", "");
  if (digits === "") return prefixed && base === 8 && s === "0" ? 0n : undefined;
  const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[base]!;
  if (!valid.test(digits)) return undefined;
  const prefix = { 2: "0b", 8: "0o", 10: "", 16: "0x" }[base]!;
  return sign * BigInt(prefix + digits);
}

/** strconv.ParseFloat(text, 64) for decimal syntax; undefined when invalid. */
export function parseGoFloat(text: string): number | undefined {
  let s = text;
  if (s.includes("_")) {
    if (!underscoreOK(s)) return undefined;
    s = s.replaceAll("_", "");
  }
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    // Out of range is an error for strconv.ParseFloat, not infinity.
    const f = Number(s);
    return Number.isFinite(f) ? f : undefined;
  }
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith("-") ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  if (/^[+-]?0[xX]/.test(s)) return parseHexFloat(s);
  return undefined;
}

function parseHexFloat(s: string): number | undefined {
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(s);
  if (!m || (m[2] === "" && m[3] === "")) return undefined;
  const mantissa = parseInt((m[2] || "0") + m[3], 16);
  const value = mantissa * 2 ** (Number(m[4]) - 4 * m[3].length);
  return m[1] === "-" ? -value : value;
}

/** Go's rule: underscores only between digits, or between a base prefix and a digit. */
function underscoreOK(s: string): boolean {
  let t = s.replace(/^[+-]/, "");
  let hex = false;
  if (/^0[xXbBoO]/.test(t)) {
    hex = /^0[xX]/.test(t);
    t = t[0] + t.slice(2);
  }
  let saw = "^";
  for (const c of t) {
    const isDigit = /[0-9]/.test(c) || (hex && /[a-fA-F]/.test(c));
    if (isDigit) saw = "0";
    else if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
    } else {
      if (saw === "_") return false;
      saw = "!";
    }
  }
  return saw !== "_";
}
