// Random (but seeded, so reproducible) calls of Sprig and builtin functions with arguments of
// every kind, to compare argument conversion, results and error messages with Go at scale.
import type { OracleCase } from "../../support/gotemplate_oracle.ts";
import { seededRandom } from "../../support/seeded_random.ts";

const DATA = `
s: "Hello, World"
n: 42
f: -2.75
z: 0
e: ""
b: true
nil: null
l: [3, "x", 1.5, null]
sl: ["b", "a"]
d: {k: v, n: 2, sub: {a: 1}}
`;

const ARGS = [
  ".s",
  ".n",
  ".f",
  ".z",
  ".e",
  ".b",
  ".nil",
  ".l",
  ".sl",
  ".d",
  ".d.sub",
  ".missing",
  '"txt"',
  '"3"',
  '"-1.5"',
  '""',
  '"a,b"',
  "0",
  "1",
  "-2",
  "3.5",
  "true",
  "false",
  "nil",
  "(list 1 2)",
  '(dict "a" 1)',
  "(add 1 2)",
  "(len .l)",
  "(int 7)",
];

const FUNCS: [string, number][] = [
  ["upper", 1],
  ["lower", 1],
  ["trim", 1],
  ["title", 1],
  ["trunc", 2],
  ["substr", 3],
  ["repeat", 2],
  ["replace", 3],
  ["contains", 2],
  ["hasPrefix", 2],
  ["quote", 2],
  ["squote", 1],
  ["cat", 3],
  ["indent", 2],
  ["nindent", 2],
  ["plural", 3],
  ["toString", 1],
  ["split", 2],
  ["splitList", 2],
  ["join", 2],
  ["sortAlpha", 1],
  ["atoi", 1],
  ["default", 2],
  ["empty", 1],
  ["coalesce", 3],
  ["ternary", 3],
  ["list", 2],
  ["first", 1],
  ["last", 1],
  ["rest", 1],
  ["append", 2],
  ["uniq", 1],
  ["compact", 1],
  ["has", 2],
  ["without", 2],
  ["concat", 2],
  ["dict", 2],
  ["get", 2],
  ["hasKey", 2],
  ["pick", 2],
  ["omit", 2],
  ["merge", 2],
  ["dig", 3],
  ["add", 2],
  ["sub", 2],
  ["mul", 2],
  ["div", 2],
  ["mod", 2],
  ["max", 2],
  ["min", 2],
  ["addf", 2],
  ["mulf", 2],
  ["divf", 2],
  ["ceil", 1],
  ["floor", 1],
  ["round", 2],
  ["int", 1],
  ["int64", 1],
  ["float64", 1],
  ["toJson", 1],
  ["toPrettyJson", 1],
  ["typeOf", 1],
  ["kindOf", 1],
  ["kindIs", 2],
  ["deepEqual", 2],
  ["b64enc", 1],
  ["sha256sum", 1],
  ["regexMatch", 2],
  ["regexFind", 2],
  ["semverCompare", 2],
  ["base", 1],
  ["ext", 1],
  ["until", 1],
  ["seq", 2],
  ["len", 1],
  ["index", 2],
  ["eq", 2],
  ["lt", 2],
  ["and", 2],
  ["or", 2],
  ["not", 1],
  ["print", 2],
  ["printf", 2],
  ["html", 1],
  ["js", 1],
  ["urlquery", 1],
  ["slice", 2],
  ["abbrev", 2],
  ["wrap", 2],
  ["initials", 1],
  ["snakecase", 1],
  ["camelcase", 1],
  ["toStrings", 1],
  ["chunk", 2],
  ["reverse", 1],
  ["adler32sum", 1],
  ["durationRound", 1],
  ["duration", 1],
  ["toDecimal", 1],
];

export function randomCases(count: number, seed = 7): OracleCase[] {
  const next = seededRandom(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(next() * a.length)];
  const out: OracleCase[] = [];
  for (let i = 0; i < count; i++) {
    const [fn, arity] = pick(FUNCS);
    const args = Array.from({ length: arity }, () => pick(ARGS));
    // Sometimes pipe the last argument in, as charts do.
    const text = next() < 0.3 && arity > 0
      ? `{{ ${args[arity - 1]} | ${fn} ${args.slice(0, -1).join(" ")} }}`
      : `{{ ${fn} ${args.join(" ")} }}`;
    out.push({ template: text, data: DATA });
  }
  return out;
}
