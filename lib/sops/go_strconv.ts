// Go's strconv parsers as SOPS applies them to decrypted `type:int|float|bool` values, and Go's
// FormatFloat(f, 'f', -1, 64), which the MAC uses for numbers.

/** strconv.Atoi: optional sign, decimal digits, within int64. */
export function goAtoi(s: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) return undefined;
  const v = Number(n);
  return v === 0 ? 0 : v;
}

/** strconv.ParseFloat(s, 64) for decimal and special forms (hex floats are not used by SOPS). */
export function goParseFloat(s: string): number | undefined {
  const special = /^([+-]?)(inf|infinity)$/i.exec(s);
  if (special) return special[1] === "-" ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  if (!/^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(s)) return undefined;
  const v = Number(s);
  // Go reports a range error for overflow instead of returning ±Inf silently.
  return Number.isFinite(v) ? v : undefined;
}

/** strconv.ParseBool. */
export function goParseBool(s: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
  return undefined;
}

/**
 * strconv.FormatFloat(f, 'f', -1, 64): the shortest digits that round-trip (JavaScript picks
 * the same ones), written without an exponent. Safe integers print as Go's Itoa would.
 */
export function goFormatFloat(f: number): string {
  if (Number.isNaN(f)) return "NaN";
  if (f === Infinity) return "+Inf";
  if (f === -Infinity) return "-Inf";
  if (Object.is(f, -0)) return "-0";
  const sign = f < 0 ? "-" : "";
  const text = Math.abs(f).toString();
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
  if (!m || m[3] === undefined) return sign + text;
  const digits = m[1] + (m[2] ?? "");
  const point = m[1].length + Number(m[3]);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
