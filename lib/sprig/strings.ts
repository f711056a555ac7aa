// Sprig's string functions (strings.go and the goutils/xstrings helpers it calls).
import {
  checkStringLength,
  type FuncMap,
  GoFuncError,
  goInt,
  GoPanic,
  sprintf,
  typed,
  withGoType,
} from "../gotemplate/mod.ts";
import { byteLength, byteSlice } from "./bytes.ts";
import { strval } from "./cast.ts";
import { toCamelCase, toLowerWords } from "./case.ts";
import { goLower, goUpper, runeLower, runeUpper } from "./unicode_case.ts";

function isSpace(ch: string): boolean {
  return /^[\s\u0085]$/u.test(ch) && ch !== "\u200b";
}

/** Go's strings.TrimSpace. */
export function trimSpace(s: string): string {
  return s.replace(/^[\s\u0085]+|[\s\u0085]+$/gu, "");
}

function trimCutset(s: string, cutset: string): string {
  const set = new Set([...cutset]);
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (a < b && set.has(chars[a])) a++;
  while (b > a && set.has(chars[b - 1])) b--;
  return chars.slice(a, b).join("");
}

function title(s: string): string {
  // strings.Title: upper-case letters that start a word (after a non-letter/digit/_/').
  let prev = " ";
  let out = "";
  for (const ch of s) {
    const sep = !/[\p{L}\p{N}_']/u.test(prev);
    out += sep ? runeUpper(ch) : ch;
    prev = ch;
  }
  return out;
}

function abbreviateFull(str: string, offset: number, maxWidth: number): string {
  if (str === "") return "";
  if (maxWidth < 4) return "";
  const len = byteLength(str);
  if (len <= maxWidth) return str;
  if (offset > len) offset = len;
  if (len - offset < maxWidth - 3) offset = len - (maxWidth - 3);
  if (offset <= 4) return byteSlice(str, 0, maxWidth - 3) + "...";
  if (maxWidth < 7) return "";
  if (offset + maxWidth - 3 < len) {
    return "..." + abbreviateFull(byteSlice(str, offset), 0, maxWidth - 3);
  }
  return "..." + byteSlice(str, len - (maxWidth - 3));
}

function initials(s: string): string {
  let out = "";
  let gap = true;
  for (const ch of s) {
    if (isSpace(ch)) gap = true;
    else if (gap) {
      out += ch;
      gap = false;
    }
  }
  return out;
}

/** goutils.SwapCase: upper → lower, lower → upper (title case after a space is upper). */
function swapCase(s: string): string {
  let out = "";
  for (const ch of s) {
    const lower = runeLower(ch);
    out += ch !== lower ? lower : runeUpper(ch);
  }
  return out;
}

function wrapCustom(str: string, wrapLength: number, newLine: string, wrapLong: boolean): string {
  if (str === "") return "";
  if (newLine === "") newLine = "\n";
  if (wrapLength < 1) wrapLength = 1;
  const len = str.length;
  let offset = 0;
  let out = "";
  while (len - offset > wrapLength) {
    if (str[offset] === " ") {
      offset++;
      continue;
    }
    const end = wrapLength + offset + 1;
    const at = str.slice(offset, end).lastIndexOf(" ") + offset;
    if (at >= offset) {
      out += str.slice(offset, at) + newLine;
      offset = at + 1;
    } else if (wrapLong) {
      out += str.slice(offset, wrapLength + offset) + newLine;
      offset += wrapLength;
    } else {
      const e = wrapLength + offset;
      const idx = str.slice(e).indexOf(" ");
      if (idx === -1) {
        out += str.slice(offset);
        offset = len;
      } else {
        out += str.slice(offset, idx + e) + newLine;
        offset = idx + e + 1;
      }
    }
  }
  return out + str.slice(offset);
}

function trunc(c: bigint, s: string): string {
  const n = Number(c);
  const len = byteLength(s);
  if (n < 0 && len + n > 0) return byteSlice(s, len + n);
  if (n >= 0 && len > n) return byteSlice(s, 0, n);
  return s;
}

function substr(start: bigint, end: bigint, s: string): string {
  const a = Number(start);
  const b = Number(end);
  const len = byteLength(s);
  if (a < 0) {
    if (b < 0 || b > len) {
      throw new GoPanic(`runtime error: slice bounds out of range [:${b}] with length ${len}`);
    }
    return byteSlice(s, 0, b);
  }
  if (b < 0 || b > len) {
    if (a > len) throw new GoPanic(`runtime error: slice bounds out of range [${a}:${len}]`);
    return byteSlice(s, a);
  }
  if (a > b) throw new GoPanic(`runtime error: slice bounds out of range [${a}:${b}]`);
  return byteSlice(s, a, b);
}

function indent(spaces: bigint, v: string): string {
  if (spaces < 0n) throw new GoPanic("strings: negative Repeat count");
  const pad = " ".repeat(Number(spaces));
  return pad + v.replaceAll("\n", "\n" + pad);
}

/** Go's strings.Split, including the empty-separator case (split into UTF-8 sequences). */
export function goSplit(s: string, sep: string, n = -1): string[] {
  if (n === 0) return [];
  if (sep === "") {
    const chars = [...s];
    if (n > 0 && chars.length > n) return [...chars.slice(0, n - 1), chars.slice(n - 1).join("")];
    return chars;
  }
  const parts = s.split(sep);
  if (n > 0 && parts.length > n) return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
  return parts;
}

function splitMap(parts: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  parts.forEach((p, i) => out[`_${i}`] = p);
  return withGoType(out, "map[string]string");
}

/** Sprig's strslice: a list of strings from a list (nil elements dropped) or one value. */
export function strslice(v: unknown): string[] {
  if (Array.isArray(v)) {
    return v.filter((x) => x !== null && x !== undefined).map(strval);
  }
  if (v === null || v === undefined) return [];
  return [strval(v)];
}

function quoteAll(args: unknown[]): string {
  return args.filter((a) => a !== null && a !== undefined).map((a) => sprintf("%q", [strval(a)]))
    .join(" ");
}

function squoteAll(args: unknown[]): string {
  return args.filter((a) => a !== null && a !== undefined).map((a) => sprintf("'%v'", [a])).join(
    " ",
  );
}

function cat(args: unknown[]): string {
  const v = args.filter((a) => a !== null && a !== undefined);
  return sprintf(trimSpace("%v ".repeat(v.length)), v);
}

function deleteWhiteSpace(s: string): string {
  return [...s].filter((ch) => !isSpace(ch)).join("");
}

function shuffle(s: string): string {
  const chars = [...s];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join("");
}

export const stringFuncs: FuncMap = {
  hello: typed([], () => "Hello!"),
  abbrev: typed(
    ["int", "string"],
    (w: bigint, s: string) => Number(w) < 4 ? s : abbreviateFull(s, 0, Number(w)),
  ),
  abbrevboth: typed(["int", "int", "string"], (l: bigint, r: bigint, s: string) => {
    const left = Number(l);
    const right = Number(r);
    if (right < 4 || (left > 0 && right < 7)) return s;
    return abbreviateFull(s, left, right);
  }),
  trunc: typed(["int", "string"], trunc),
  trim: typed(["string"], trimSpace),
  upper: typed(["string"], goUpper),
  lower: typed(["string"], goLower),
  title: typed(["string"], title),
  untitle: typed(["string"], (s: string) => {
    let first = true;
    let out = "";
    for (const ch of s) {
      if (isSpace(ch)) first = true;
      else if (first) {
        out += runeLower(ch);
        first = false;
        continue;
      }
      out += ch;
    }
    return out;
  }),
  substr: typed(["int", "int", "string"], substr),
  repeat: typed(["int", "string"], (n: bigint, s: string) => {
    if (n < 0n) throw new GoPanic("strings: negative Repeat count");
    // Checked before allocating: a huge count would exhaust memory before any budget check.
    checkStringLength(Number(n) * s.length, "repeat");
    return s.repeat(Number(n));
  }),
  trimall: typed(["string", "string"], (a: string, b: string) => trimCutset(b, a)),
  trimAll: typed(["string", "string"], (a: string, b: string) => trimCutset(b, a)),
  trimSuffix: typed(
    ["string", "string"],
    (a: string, b: string) => a !== "" && b.endsWith(a) ? b.slice(0, b.length - a.length) : b,
  ),
  trimPrefix: typed(
    ["string", "string"],
    (a: string, b: string) => b.startsWith(a) ? b.slice(a.length) : b,
  ),
  nospace: typed(["string"], deleteWhiteSpace),
  initials: typed(["string"], initials),
  swapcase: typed(["string"], swapCase),
  shuffle: typed(["string"], shuffle),
  snakecase: typed(["string"], (s: string) => toLowerWords(s, "_")),
  camelcase: typed(["string"], toCamelCase),
  kebabcase: typed(["string"], (s: string) => toLowerWords(s, "-")),
  wrap: typed(["int", "string"], (l: bigint, s: string) => wrapCustom(s, Number(l), "\n", false)),
  wrapWith: typed(
    ["int", "string", "string"],
    (l: bigint, sep: string, s: string) => wrapCustom(s, Number(l), sep, true),
  ),
  contains: typed(["string", "string"], (sub: string, s: string) => s.includes(sub)),
  hasPrefix: typed(["string", "string"], (sub: string, s: string) => s.startsWith(sub)),
  hasSuffix: typed(["string", "string"], (sub: string, s: string) => s.endsWith(sub)),
  quote: typed([], (...a: unknown[]) => quoteAll(a), "any"),
  squote: typed([], (...a: unknown[]) => squoteAll(a), "any"),
  cat: typed([], (...a: unknown[]) => cat(a), "any"),
  indent: typed(["int", "string"], indent),
  nindent: typed(["int", "string"], (n: bigint, s: string) => "\n" + indent(n, s)),
  replace: typed(
    ["string", "string", "string"],
    (o: string, n: string, s: string) =>
      o === "" ? goSplit(s, "").join(n).replace(/^/, n) + (s === "" ? "" : n) : s.replaceAll(o, n),
  ),
  plural: typed(
    ["string", "string", "int"],
    (one: string, many: string, n: bigint) => n === 1n ? one : many,
  ),
  toString: typed(["any"], strval),
  split: typed(["string", "string"], (sep: string, s: string) => splitMap(goSplit(s, sep))),
  splitList: typed(
    ["string", "string"],
    (sep: string, s: string) => withGoType(goSplit(s, sep), "[]string"),
  ),
  splitn: typed(
    ["string", "int", "string"],
    (sep: string, n: bigint, s: string) => splitMap(goSplit(s, sep, Number(n))),
  ),
  toStrings: typed(["any"], (v: unknown) => withGoType(strslice(v), "[]string")),
  join: typed(["string", "any"], (sep: string, v: unknown) => strslice(v).join(sep)),
  sortAlpha: typed(["any"], (v: unknown) => {
    if (!Array.isArray(v)) return withGoType([strval(v ?? null)], "[]string");
    return withGoType(strslice(v).sort((a, b) => a < b ? -1 : a > b ? 1 : 0), "[]string");
  }),
  atoi: typed(
    ["string"],
    (s: string) =>
      /^[+-]?\d+$/.test(s) && BigInt(s) < (1n << 63n) && BigInt(s) >= -(1n << 63n)
        ? BigInt(s)
        : goInt(0),
  ),
  fail: typed(["string"], (msg: string) => {
    throw new GoFuncError(msg);
  }),
};
