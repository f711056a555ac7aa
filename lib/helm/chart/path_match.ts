// Go's path/filepath.Match on "/"-separated names: `*` and `?` stop at "/", `[...]` classes
// with `^` negation and ranges, `\` escapes. Used by .helmignore and `--show-only`.

const cache = new Map<string, RegExp | null>();

function escapeRegExp(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

/** Compiles a pattern; null when Go would report ErrBadPattern. */
export function compilePathPattern(pattern: string): RegExp | null {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  let out = "^";
  let i = 0;
  let ok = true;
  while (i < pattern.length && ok) {
    const c = pattern[i];
    if (c === "*") {
      out += "[^/]*";
      i++;
    } else if (c === "?") {
      out += "[^/]";
      i++;
    } else if (c === "\\") {
      if (i + 1 >= pattern.length) ok = false;
      else out += escapeRegExp(pattern[i + 1]);
      i += 2;
    } else if (c === "[") {
      i++;
      let cls = "[";
      if (pattern[i] === "^") {
        cls += "^";
        i++;
      }
      let first = true;
      while (ok) {
        if (i >= pattern.length) {
          ok = false;
          break;
        }
        if (pattern[i] === "]" && !first) {
          i++;
          break;
        }
        first = false;
        let lo = pattern[i];
        if (lo === "\\") {
          i++;
          lo = pattern[i];
          if (lo === undefined) {
            ok = false;
            break;
          }
        }
        i++;
        cls += escapeRegExp(lo);
        if (pattern[i] === "-" && pattern[i + 1] !== "]" && pattern[i + 1] !== undefined) {
          let hi = pattern[i + 1];
          i += 2;
          if (hi === "\\") {
            hi = pattern[i];
            i++;
          }
          if (hi === undefined || hi < lo) {
            ok = false;
            break;
          }
          cls += `-${escapeRegExp(hi)}`;
        }
      }
      // A class never matches the separator in Go.
      out += `(?!/)${cls}]`;
    } else {
      out += escapeRegExp(c);
      i++;
    }
  }
  const re = ok ? new RegExp(out + "$", "s") : null;
  cache.set(pattern, re);
  return re;
}

/** filepath.Match(pattern, name); false for a malformed pattern (Go returns an error). */
export function pathMatch(pattern: string, name: string): boolean {
  const re = compilePathPattern(pattern);
  return re !== null && re.test(name);
}
