// Go strings are byte sequences: Sprig's trunc/substr/abbrev cut at byte offsets. These helpers
// cut JS strings the same way (a cut inside a multi-byte character yields U+FFFD, which is what
// Go's invalid UTF-8 becomes once printed as JSON or text).
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// deno-lint-ignore no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

export function byteLength(s: string): number {
  return ASCII.test(s) ? s.length : encoder.encode(s).length;
}

/** s[start:end] on bytes. */
export function byteSlice(s: string, start: number, end?: number): string {
  if (ASCII.test(s)) return s.slice(start, end);
  return decoder.decode(encoder.encode(s).subarray(start, end));
}
