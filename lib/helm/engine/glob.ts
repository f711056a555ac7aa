// The glob dialect of .Files.Glob (github.com/gobwas/glob with "/" as separator): `*` within a
// path segment, `**` across segments, `?`, `[abc]`, `[!a-z]`, `{a,b}` alternatives, `\` escapes.

const cache = new Map<string, RegExp | null>();

function escape(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

/** Compiles a pattern; null when gobwas would reject it. */
export function compileGlob(pattern: string): RegExp | null {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  let re = "";
  let depth = 0;
  let ok = true;
  for (let i = 0; i < pattern.length && ok; i++) {
    const c = pattern[i];
    if (c === "\\") {
      i++;
      if (i >= pattern.length) ok = false;
      else re += escape(pattern[i]);
    } else if (c === "*") {
      if (pattern[i + 1] === "*") {
        re += ".*";
        i++;
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end === -1) {
        ok = false;
        break;
      }
      let body = pattern.slice(i + 1, end);
      let neg = false;
      if (body.startsWith("!")) {
        neg = true;
        body = body.slice(1);
      }
      re += `[${neg ? "^" : ""}${body.replace(/[\\\]^]/g, (m) => `\\${m}`)}]`;
      i = end;
    } else if (c === "{") {
      depth++;
      re += "(?:";
    } else if (c === "}" && depth > 0) {
      depth--;
      re += ")";
    } else if (c === "," && depth > 0) re += "|";
    else re += escape(c);
  }
  const out = ok && depth === 0 ? new RegExp(`^${re}$`, "s") : null;
  cache.set(pattern, out);
  return out;
}

export function globMatch(pattern: string, name: string): boolean {
  const re = compileGlob(pattern) ?? compileGlob("**")!;
  return re.test(name);
}
