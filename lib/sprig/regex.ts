// Sprig's regex functions with Go's regexp semantics: patterns translated from RE2 by
// lib/regexp (constructs JavaScript reads differently are rewritten or refused), Go's rules for
// FindAll (an empty match right after a match is skipped), Split, and $1/${name} expansion.
import { type FuncMap, GoFuncError, GoPanic, typed, withGoType } from "../gotemplate/mod.ts";
import { compileGoRegexp } from "../regexp/mod.ts";

const cache = new Map<string, RegExp>();

function compile(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    re = compileGoRegexp(pattern, "g");
    if (cache.size > 500) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

/** Go's regexp error text, as closely as the translator can tell. */
function compileError(pattern: string, e: unknown): string {
  const reason = (e instanceof Error ? e.message : String(e))
    .replace(/^invalid regular expression "[^"]*": /, "")
    .replace(/ at offset \d+$/, "")
    .replace(/^missing \)$/, "missing closing )");
  return `error parsing regexp: ${reason}: \`${pattern}\``;
}

function mustCompile(pattern: string): RegExp {
  try {
    return compile(pattern);
  } catch (e) {
    throw new GoPanic(`regexp: Compile(${goBackquote(pattern)}): ${compileError(pattern, e)}`);
  }
}

function tryCompile(pattern: string): RegExp {
  try {
    return compile(pattern);
  } catch (e) {
    throw new GoFuncError(compileError(pattern, e));
  }
}

function goBackquote(s: string): string {
  return s.includes("`") ? JSON.stringify(s) : "`" + s + "`";
}

/** Matches as Go's FindAll iterates them: at most n (n < 0: all). */
function findAll(re: RegExp, s: string, n: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  if (n === 0) return out;
  re.lastIndex = 0;
  let prevEnd = -1;
  while (re.lastIndex <= s.length) {
    const m = re.exec(s);
    if (!m) break;
    const end = m.index + m[0].length;
    if (m[0].length === 0) {
      // Go ignores an empty match that abuts the previous match.
      if (m.index !== prevEnd) out.push(m);
      re.lastIndex = m.index + (s.codePointAt(m.index)! > 0xffff ? 2 : 1);
    } else out.push(m);
    prevEnd = end;
    if (n > 0 && out.length >= n) break;
  }
  return out;
}

/** Go's Regexp.Expand template: $1, ${1}, $name, ${name}, $$. */
function expand(template: string, m: RegExpExecArray): string {
  return template.replace(
    /\$(\$|\{([A-Za-z0-9_]*)\}|([A-Za-z0-9_]+))?/g,
    (all, tok, braced, bare) => {
      if (tok === "$") return "$";
      const name: string | undefined = braced ?? bare;
      if (name === undefined || name === "") return tok === undefined ? all : "";
      if (/^\d+$/.test(name)) return m[Number(name)] ?? "";
      return m.groups?.[name] ?? "";
    },
  );
}

function replaceAll(re: RegExp, s: string, repl: string, literal: boolean): string {
  let out = "";
  let last = 0;
  for (const m of findAll(re, s, -1)) {
    out += s.slice(last, m.index) + (literal ? repl : expand(repl, m));
    last = m.index + m[0].length;
  }
  return out + s.slice(last);
}

function split(re: RegExp, s: string, n: number): string[] {
  if (n === 0) return [];
  if (re.source !== "(?:)" && s.length === 0) return [""];
  const matches = findAll(re, s, n);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of matches) {
    if (n > 0 && out.length === n - 1) break;
    end = m.index;
    if (m.index + m[0].length !== 0) out.push(s.slice(beg, end));
    beg = m.index + m[0].length;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

const strs = (a: string[]) => withGoType(a, "[]string");

export const regexFuncs: FuncMap = {
  regexMatch: typed(["string", "string"], (p: string, s: string) => {
    try {
      const re = compile(p);
      re.lastIndex = 0;
      return re.test(s);
    } catch {
      return false;
    }
  }),
  mustRegexMatch: typed(["string", "string"], (p: string, s: string) => {
    const re = tryCompile(p);
    re.lastIndex = 0;
    return re.test(s);
  }),
  regexFindAll: typed(
    ["string", "string", "int"],
    (p: string, s: string, n: bigint) =>
      strs(findAll(mustCompile(p), s, Number(n)).map((m) => m[0])),
  ),
  mustRegexFindAll: typed(
    ["string", "string", "int"],
    (p: string, s: string, n: bigint) =>
      strs(findAll(tryCompile(p), s, Number(n)).map((m) => m[0])),
  ),
  regexFind: typed(
    ["string", "string"],
    (p: string, s: string) => findAll(mustCompile(p), s, 1)[0]?.[0] ?? "",
  ),
  mustRegexFind: typed(
    ["string", "string"],
    (p: string, s: string) => findAll(tryCompile(p), s, 1)[0]?.[0] ?? "",
  ),
  regexReplaceAll: typed(
    ["string", "string", "string"],
    (p: string, s: string, r: string) => replaceAll(mustCompile(p), s, r, false),
  ),
  mustRegexReplaceAll: typed(
    ["string", "string", "string"],
    (p: string, s: string, r: string) => replaceAll(tryCompile(p), s, r, false),
  ),
  regexReplaceAllLiteral: typed(
    ["string", "string", "string"],
    (p: string, s: string, r: string) => replaceAll(mustCompile(p), s, r, true),
  ),
  mustRegexReplaceAllLiteral: typed(
    ["string", "string", "string"],
    (p: string, s: string, r: string) => replaceAll(tryCompile(p), s, r, true),
  ),
  regexSplit: typed(
    ["string", "string", "int"],
    (p: string, s: string, n: bigint) => strs(split(mustCompile(p), s, Number(n))),
  ),
  mustRegexSplit: typed(
    ["string", "string", "int"],
    (p: string, s: string, n: bigint) => strs(split(tryCompile(p), s, Number(n))),
  ),
  regexQuoteMeta: typed(["string"], quoteMeta),
};
