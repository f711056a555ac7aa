// Differential test: Helm's toYaml/toJson against Go's sigs.k8s.io/yaml + go-yaml v2 themselves.
import assert from "node:assert/strict";
import { runOracle } from "../../../support/go.ts";
import { marshalJson, toJsonValue } from "../../../../lib/helm/engine/json_value.ts";
import { toYaml } from "../../../../lib/helm/engine/to_yaml.ts";
import { normalize } from "../../../../lib/helm/values/parse.ts";
import { parseGoYaml } from "../../../../lib/helm/values/go_yaml.ts";

const long = "lorem ipsum dolor sit amet ".repeat(8).trim();
const cases: string[] = [
  "a: 1\nb: [1, 2.5, 1e6, 1234567.5, 0.000001, -3, 1e21, 123456789012]",
  "x: y\nn: no\non: off",
  "s: ['true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n', 'null', '~', '', ' ', 'Null', 'TRUE']",
  "s: ['1', '1.5', '0x1F', '0777', '1e3', '+1', '-1', '.5', '.', '1_000', '0b101', '12:30', '1:20:30.5']",
  "s: ['2001-12-14', '2001-12-14T21:59:43.10-05:00', '2001-13-45', '1999-1-1', 'v1.2.3', '1.2.3']",
  "s: ['- a', '-a', ': a', 'a: b', 'a:b', '#c', 'a #c', 'a#c', '[x]', '{x}', 'a,b', '?x', '? x', '*a', '&a', '!a', '|a', '>a', '%a', '@a', '`a', '\"q\"', \"'q'\", '---', '...', 'a ', ' a']",
  "s: ['tab\\there', 'nul\\0', 'emoji 😀', 'é', 'bell\\a', 'nbsp\\u00a0x', 'bom\\ufeffx', 'ls\\u2028x', 'back\\\\slash']",
  'm: |\n  line one\n  line two\nk: |-\n  no newline\nt: |+\n  keep\n\nu: "  leading\\nspaces"\nv: "trailing \\nspace"\nw: "\\nstarts with newline"\nx: "a\\n\\nb"',
  `long: ${long}\nlonger: "${long} ${long}"\nquoted: "'${long}'"\nlist: ["${long}"]\nnested: {a: {b: "${long}"}}`,
  `dq: "tab\\t${long}"\nsq: "- ${long}"`,
  "keys: {a10: 1, a2: 2, a1: 3, b: 4, B: 5, _z: 6, '1': 7, '10': 8, '2': 9, 'a-b': 10, 'a.b': 11, 'a_b': 12, 'ab': 13, 'a01': 14, 'a001': 15, 'é': 16, '': 17, 'true': 18, 'x y': 19}",
  "empty: {}\nlist: []\nnested: [[], {}, [[1]], {a: []}]\nnil: null",
  "- a\n- b: c\n  d: [e, f]\n- [g, h]\n- - i\n  - j",
  "just a string",
  "42",
  "3.5",
  "[]",
  "{}",
  "null",
  "html: '<a href=\"x\">&</a>'",
  "big: 9007199254740993\nneg: -9223372036854775808\nhuge: 18446744073709551615\nbigger: 1e300\nsmall: 1e-300",
  "deep: {a: {b: {c: {d: [1, {e: f}]}}}}",
  "ml_in_list:\n- |\n  a\n  b\n- x",
  "odd: [., ._, e5, 1:20, 2001-12-14, 0o17, 1_0.5, .5e3, +.5, 1., 0x_1F]",
  "colon: 'http://example.com:8080/path'\nurl: 'a: '\nport: '8080'\nver: '1.20'\nver2: '1.0'",
];

Deno.test("toYaml and toJson match Helm (sigs.k8s.io/yaml over go-yaml v2)", async () => {
  const expected = JSON.parse(await runOracle("helmyaml", JSON.stringify(cases))) as Array<
    { toYaml: string; toJson: string; error?: string }
  >;
  const failures: string[] = [];
  cases.forEach((doc, i) => {
    const want = expected[i];
    if (want.error) {
      failures.push(`case ${i}: oracle could not parse: ${want.error}`);
      return;
    }
    const value = normalize(parseGoYaml(doc, `case ${i}`));
    const gotYaml = toYaml(value);
    const gotJson = marshalJson(toJsonValue(value));
    if (gotYaml !== want.toYaml) {
      failures.push(`case ${i} toYaml:\n--- want\n${want.toYaml}\n--- got\n${gotYaml}`);
    }
    if (gotJson !== want.toJson) {
      failures.push(`case ${i} toJson:\n want ${want.toJson}\n got  ${gotJson}`);
    }
  });
  assert.deepEqual(failures, []);
});
