// Go's case mapping is rune by rune with Unicode's simple mappings: "ß" stays "ß" in ToUpper
// and "Σ" always lowers to "σ". JavaScript applies full, context-sensitive mappings, so
// non-ASCII text is mapped one code point at a time, keeping those that would expand.

// deno-lint-ignore no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

function mapRune(ch: string, f: (s: string) => string): string {
  const m = f(ch);
  return [...m].length === 1 ? m : ch;
}

export function runeUpper(ch: string): string {
  return mapRune(ch, (s) => s.toUpperCase());
}

export function runeLower(ch: string): string {
  return mapRune(ch, (s) => s.toLowerCase());
}

/** strings.ToUpper. */
export function goUpper(s: string): string {
  if (ASCII.test(s)) return s.toUpperCase();
  let out = "";
  for (const ch of s) out += runeUpper(ch);
  return out;
}

/** strings.ToLower. */
export function goLower(s: string): string {
  if (ASCII.test(s)) return s.toLowerCase();
  let out = "";
  for (const ch of s) out += runeLower(ch);
  return out;
}
