// strconv.Unquote and UnquoteChar: Go string, raw string and char literal syntax.

/** Decodes one (possibly escaped) character at the start of `s`; returns its code point. */
export function unquoteChar(s: string, quote: string): { value: number; tail: string } {
  const c = s.codePointAt(0);
  if (c === undefined) throw new Error("invalid syntax");
  const ch = String.fromCodePoint(c);
  if (ch === quote && (quote === "'" || quote === '"')) throw new Error("invalid syntax");
  if (ch !== "\\") return { value: c, tail: s.slice(ch.length) };
  const e = s[1];
  const simple: Record<string, number> = {
    a: 7,
    b: 8,
    f: 12,
    n: 10,
    r: 13,
    t: 9,
    v: 11,
    "\\": 92,
  };
  if (e in simple) return { value: simple[e], tail: s.slice(2) };
  if (e === "'" || e === '"') {
    if (e !== quote) throw new Error("invalid syntax");
    return { value: e.charCodeAt(0), tail: s.slice(2) };
  }
  const hexLen = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
  if (hexLen > 0) {
    const hex = s.slice(2, 2 + hexLen);
    if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(hex)) throw new Error("invalid syntax");
    const v = parseInt(hex, 16);
    if (e !== "x" && (v > 0x10ffff || (v >= 0xd800 && v < 0xe000))) {
      throw new Error("invalid syntax");
    }
    return { value: v, tail: s.slice(2 + hexLen) };
  }
  if (e >= "0" && e <= "7") {
    const oct = s.slice(1, 4);
    if (!/^[0-7]{3}$/.test(oct)) throw new Error("invalid syntax");
    const v = parseInt(oct, 8);
    if (v > 255) throw new Error("invalid syntax");
    return { value: v, tail: s.slice(4) };
  }
  throw new Error("invalid syntax");
}

/** strconv.Unquote for "..." and `...` literals. Byte escapes (\xNN) above 0x7f are kept as
 * code points, which is exact for ASCII and a close approximation otherwise. */
export function unquote(lit: string): string {
  if (lit.startsWith("`")) {
    if (!lit.endsWith("`") || lit.length < 2) throw new Error("invalid syntax");
    return lit.slice(1, -1).replaceAll("\r", "");
  }
  if (!lit.startsWith('"') || !lit.endsWith('"') || lit.length < 2) {
    throw new Error("invalid syntax");
  }
  let s = lit.slice(1, -1);
  if (!s.includes("\\")) {
    if (s.includes('"') || s.includes("\n")) throw new Error("invalid syntax");
    return s;
  }
  let out = "";
  while (s.length > 0) {
    const { value, tail } = unquoteChar(s, '"');
    out += String.fromCodePoint(value);
    s = tail;
  }
  return out;
}
