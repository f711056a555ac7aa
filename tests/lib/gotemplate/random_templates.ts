// Seeded random templates: nested control structures, variables, pipelines and trim markers
// over random data, to compare whole-template behaviour with Go beyond hand-written cases.
import type { OracleCase } from "../../support/gotemplate_oracle.ts";
import { seededRandom } from "../../support/seeded_random.ts";

const DATA = `
a: 1
b: "two"
c: [1, "x", null, [2, 3]]
d: {k: v, n: 0, m: {z: true}}
e: ""
f: false
g: 2.5
h: null
`;

export function randomTemplates(count: number, seed = 3): OracleCase[] {
  const next = seededRandom(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(next() * a.length)];
  const fields = [
    ".a",
    ".b",
    ".c",
    ".d",
    ".d.k",
    ".d.m.z",
    ".d.n",
    ".e",
    ".f",
    ".g",
    ".h",
    ".x",
    ".",
  ];
  const vars: string[] = [];
  const operand = (): string => {
    const r = next();
    if (r < 0.45) return pick(fields);
    if (r < 0.6 && vars.length > 0) return pick(vars);
    if (r < 0.7) return pick(["1", "0", '"s"', '""', "true", "2.5", "nil"]);
    if (r < 0.8) return `(len ${pick([".c", ".d", ".b", '"abc"'])})`;
    if (r < 0.9) return `(index ${pick([".c", ".d"])} ${pick(["0", "1", '"k"', '"n"'])})`;
    return `(${pick(["eq", "ne", "lt", "and", "or"])} ${pick(fields)} ${
      pick(["1", '"two"', ".a", "0"])
    })`;
  };
  const pipeline = (): string => {
    const r = next();
    if (r < 0.5) return operand();
    if (r < 0.65) return `${operand()} | printf "%v"`;
    if (r < 0.75) return `print ${operand()} ${operand()}`;
    if (r < 0.85) return `not ${operand()}`;
    return `${pick(["and", "or"])} ${operand()} ${operand()}`;
  };
  const open = () => pick(["{{", "{{", "{{- "]);
  const close = () => pick(["}}", "}}", " -}}"]);
  const body = (depth: number): string => {
    let out = "";
    const n = 1 + Math.floor(next() * 3);
    for (let i = 0; i < n; i++) {
      const r = next();
      const text = pick(["", " ", "\n", "x", " y \n ", "\t"]);
      if (depth > 2 || r < 0.35) {
        out += `${text}${open()}${pipeline()}${close()}`;
      } else if (r < 0.5) {
        out += `${text}${open()}if ${pipeline()}${close()}${body(depth + 1)}` +
          (next() < 0.5 ? `${open()}else${close()}${body(depth + 1)}` : "") +
          `${open()}end${close()}`;
      } else if (r < 0.65) {
        const v = `$v${depth}`;
        vars.push(v);
        const decl = next() < 0.5 ? `$i${depth}, ${v} := ` : next() < 0.5 ? `${v} := ` : "";
        out +=
          `${text}${open()}range ${decl}${pick([".c", ".d", ".d.m", ".e", ".x", ".h"])}${close()}` +
          body(depth + 1) + (next() < 0.3 ? `${open()}else${close()}none` : "") +
          `${open()}end${close()}`;
        vars.pop();
      } else if (r < 0.75) {
        out += `${text}${open()}with ${pipeline()}${close()}${
          body(depth + 1)
        }${open()}end${close()}`;
      } else if (r < 0.85) {
        const v = `$w${depth}${i}`;
        out += `${text}${open()}${v} := ${pipeline()}${close()}`;
        vars.push(v);
        out += `${open()}${v}${close()}`;
      } else {
        out += `${text}${open()}template "t${Math.floor(next() * 2)}" ${operand()}${close()}`;
      }
    }
    return out;
  };
  const out: OracleCase[] = [];
  for (let i = 0; i < count; i++) {
    vars.length = 0;
    const t0 = body(0);
    vars.length = 0;
    const t1 = body(1);
    vars.length = 0;
    const main = body(0);
    out.push({
      template: `{{ define "t0" }}${t0}{{ end }}{{ define "t1" }}${t1}{{ end }}${main}`,
      data: DATA,
    });
  }
  return out;
}
