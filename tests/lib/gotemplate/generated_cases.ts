// Generated combinations: every verb with every kind of value, comparisons across types, Sprig
// conversions over all value kinds, and whitespace trimming around every action form.
import type { OracleCase } from "../../support/gotemplate_oracle.ts";

const DATA = `
s: "text"
e: ""
i: 42
f: 2.5
big: 1e21
tiny: 0.00001
n: null
b: true
l: [1, "a", null]
m: {k: v, n: 1}
neg: -3
`;

/** Template expressions for one value of each kind. */
const VALUES = [
  ".s",
  ".e",
  ".i",
  ".f",
  ".big",
  ".tiny",
  ".n",
  ".b",
  ".l",
  ".m",
  ".neg",
  ".missing",
  "7",
  "-0.5",
  '"lit"',
  "true",
  "(add 1 2)",
  "(len .l)",
  "(list 1 2)",
  '(dict "x" 1)',
];

const VERBS = [
  "%v",
  "%+v",
  "%s",
  "%d",
  "%5.1f",
  "%q",
  "%x",
  "%T",
  "%t",
  "%-6v|",
  "%06v",
  "%e",
  "%g",
];

function cases(): OracleCase[] {
  const out: OracleCase[] = [];
  // Every verb with every value, one template per verb.
  for (const verb of VERBS) {
    const body = VALUES.map((v) => `{{ printf "${verb}" ${v} }}`).join("~");
    out.push({ template: body, data: DATA });
  }
  // Conversions and predicates over every value.
  for (
    const fn of [
      "toString",
      "typeOf",
      "kindOf",
      "empty",
      "int",
      "int64",
      "float64",
      "toJson",
      "quote",
      'default "D"',
      "len",
      "not",
      "print",
      "html",
      "js",
      "urlquery",
    ]
  ) {
    for (const v of VALUES) out.push({ template: `{{ ${fn} ${v} }}`, data: DATA });
  }
  // Comparisons between pairs of kinds.
  const cmp = [".s", ".i", ".f", ".n", ".missing", "1", "2.5", '"text"', "(add 1 41)", ".b"];
  for (const op of ["eq", "lt", "ge"]) {
    for (const a of cmp) {
      out.push({ template: cmp.map((b) => `{{ ${op} ${a} ${b} }}`).join(" "), data: DATA });
    }
  }
  // Trimming markers around every kind of action.
  const actions = [
    "{{ .s }}",
    "{{ if .b }}y{{ end }}",
    "{{ range .l }}.{{ end }}",
    "{{/* c */}}",
    "{{ $x := 1 }}",
  ];
  for (const a of actions) {
    for (const [l, r] of [["{{", "}}"], ["{{-", "}}"], ["{{", "-}}"], ["{{-", "-}}"]]) {
      const t = a.replaceAll("{{", l + (l.endsWith("-") ? " " : "")).replaceAll(
        "}}",
        (r.startsWith("-") ? " " : "") + r,
      );
      out.push({ template: `a \n ${t} \n b`, data: DATA });
    }
  }
  return out;
}

export const GENERATED_CASES: OracleCase[] = cases();
