import assert from "node:assert/strict";
import { compileGoRegexp, GoRegexpError, translateGoRegexp } from "../../../lib/regexp/mod.ts";
import { runOracle } from "../../support/go.ts";

// [pattern, inputs]: patterns seen in Flux tag filters and the RE2 features they lean on.
const cases: [string, string[]][] = [
  ["^main-[a-fA-F0-9]+-(?P<ts>.*)", ["main-abc123-1700000000", "main-xyz-1", "dev-abc-1"]],
  ["^v?(?P<version>[0-9]+\\.[0-9]+\\.[0-9]+)$", ["v1.2.3", "1.20.300", "1.2", "v1.2.3-rc1"]],
  ["(?i)^RELEASE-(\\d+)$", ["release-42", "RELEASE-7", "Release-x"]],
  ["^prod-(?i:abc)-x$", ["prod-ABC-x", "PROD-abc-x"]],
  ["a(?i)b", ["aB", "AB", "ab"]],
  ["\\Aabc\\z", ["abc", "abc\n", "xabc"]],
  ["\\Q1.2+3\\E$", ["1.2+3", "102+3", "11.2+3"]],
  ["^[[:alpha:]][[:digit:]]+$", ["a123", "1a23", "Z9"]],
  ["^[[:word:][:punct:]]+$", ["a_b-c!", "a b"]],
  ["^\\s+$", [" \t\n", "\u00a0", "\u2003"]],
  ["^\\S+$", ["abc", "a b"]],
  ["^[^\\s]+$", ["a\u00a0b", "a b"]],
  ["^\\-\\#\\!$", ["-#!"]],
  ["^[\\-a]+$", ["-a-a"]],
  ["x{2,3}", ["xx", "x", "xxxx"]],
  ["a{,2}", ["a{,2}", "aa"]],
  ["^a}b]$", ["a}b]"]],
  ["^\\x41\\x{1F600}$", ["A\u{1F600}"]],
  ["^\\pL+$", ["héllo", "h3llo"]],
  ["^\\p{Greek}+$", ["αβγ", "abc"]],
  ["^.$", ["\u{1F600}", "ab"]],
  ["(?s)a.b", ["a\nb"]],
  ["a.b", ["a\nb", "axb"]],
  ["(?m)^b$", ["a\nb\nc", "ab"]],
  ["(a)|(b)", ["b", "a"]],
  ["^(?:ab)+$", ["abab", "aba"]],
  ["[a-z]+/[0-9]+", ["repo/123"]],
  ["^(?P<major>\\d+)\\.(?P<minor>\\d+)", ["10.20"]],
];
const invalidInGo = ["a(?=b)", "(a)\\1", "(?<!x)y", "a[", "a)", "\\8"];

Deno.test("translated patterns match exactly what Go's regexp matches", async () => {
  const jobs = cases.flatMap(([pattern, inputs]) => inputs.map((input) => ({ pattern, input })));
  const lines = (await runOracle("goregexp", jobs.map((j) => JSON.stringify(j)).join("\n") + "\n"))
    .trimEnd().split("\n");
  jobs.forEach((job, i) => {
    const expected = JSON.parse(lines[i]);
    const match = compileGoRegexp(job.pattern).exec(job.input);
    const got = match ? [...match].map((g) => g ?? "") : null;
    assert.deepEqual(got, expected, `${job.pattern} on ${JSON.stringify(job.input)}`);
  });
});

Deno.test("what Go rejects is rejected, with the reason", async () => {
  const lines = (await runOracle(
    "goregexp",
    invalidInGo.map((pattern) => JSON.stringify({ pattern, input: "" })).join("\n") + "\n",
  )).trimEnd().split("\n");
  invalidInGo.forEach((pattern, i) => {
    assert.equal(lines[i], '{"error":true}', `Go accepts ${pattern}`);
    assert.throws(() => compileGoRegexp(pattern), GoRegexpError, pattern);
  });
  assert.throws(
    () => translateGoRegexp("^a(?=b)"),
    {
      message:
        'invalid regular expression "^a(?=b)": lookahead and lookbehind assertions are not supported by Go (RE2) at offset 2',
    },
  );
  assert.throws(() => translateGoRegexp("(?U)a+"), /ungreedy flag/);
});

Deno.test("a leading flag group becomes a RegExp flag", () => {
  assert.deepEqual(translateGoRegexp("(?i)^v(?P<n>\\d+)"), { source: "^v(?<n>\\d+)", flags: "ui" });
});
