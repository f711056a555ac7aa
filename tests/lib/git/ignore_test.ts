// gitignore pattern semantics for spec.ignore and .sourceignore.
import assert from "node:assert/strict";
import { isIgnored, parsePatterns } from "../../../lib/git/mod.ts";

function check(text: string, cases: [string, boolean, boolean?][], domain = "") {
  const patterns = parsePatterns(text, domain);
  for (const [path, expected, isDir] of cases) {
    assert.equal(isIgnored(patterns, path, isDir ?? false), expected, `${text} on ${path}`);
  }
}

Deno.test("a pattern without a slash matches the name at any depth", () => {
  check("*.log", [["a.log", true], ["x/y/a.log", true], ["a.logs", false]]);
});

Deno.test("a leading or middle slash anchors the pattern to its directory", () => {
  check("/build", [["build", true, true], ["src/build", false, true]]);
  check("doc/*.txt", [["doc/a.txt", true], ["doc/sub/a.txt", false], ["x/doc/a.txt", false]]);
});

Deno.test("a trailing slash matches directories only", () => {
  check("tmp/", [["tmp", true, true], ["tmp", false, false], ["a/tmp", true, true]]);
});

Deno.test("double stars: leading, trailing and in the middle", () => {
  check("**/foo", [["foo", true], ["a/b/foo", true]]);
  check("abc/**", [["abc/x", true], ["abc/x/y", true], ["abc", false, true]]);
  check("a/**/b", [["a/b", true], ["a/x/b", true], ["a/x/y/b", true], ["b", false]]);
});

Deno.test("negation re-includes, the last matching pattern wins", () => {
  check("*.yaml\n!keep.yaml", [["a.yaml", true], ["keep.yaml", false], ["d/keep.yaml", false]]);
  check("!keep.yaml\n*.yaml", [["keep.yaml", true]]);
});

Deno.test("comments, blank lines, escapes and character classes", () => {
  check("# comment\n\n\\#hash\n\\!bang\nfile[0-9].txt\nx[!a].md", [
    ["# comment", false],
    ["#hash", true],
    ["!bang", true],
    ["file7.txt", true],
    ["fileA.txt", false],
    ["xb.md", true],
    ["xa.md", false],
  ]);
});

Deno.test("patterns from a subdirectory's .sourceignore apply only below it", () => {
  check("*.txt\n/top.yaml", [
    ["apps/a.txt", true],
    ["a.txt", false],
    ["apps/top.yaml", true],
    ["apps/x/top.yaml", false],
  ], "apps");
});
