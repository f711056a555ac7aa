import assert from "node:assert/strict";
import { parseAll, parseDocuments, YamlError } from "../../../lib/yaml/mod.ts";

Deno.test("documents of a stream keep their index and first line", () => {
  const docs = parseDocuments("a: 1\n---\n# only a comment\n---\nb: {c: 2}\n", { file: "x.yaml" });
  assert.deepEqual(docs.map((d) => [d.index, d.line, d.value]), [
    [0, 1, { a: 1 }],
    [1, 2, null],
    [2, 5, { b: { c: 2 } }],
  ]);
});

Deno.test("syntax errors name the file, document, line and column", () => {
  const [, second] = parseDocuments("a: 1\n---\nb: [1, 2\n", { file: "x.yaml" });
  assert.equal(second.errors.length > 0, true);
  assert.match(second.errors[0].message, /^x\.yaml: document 2: line \d+, column \d+: /);
});

Deno.test("duplicate keys are errors", () => {
  assert.throws(
    () => parseAll("a: 1\nb: 2\na: 3\n", { file: "dup.yaml" }),
    (e: unknown) =>
      e instanceof YamlError &&
      e.message === "dup.yaml: document 1: line 3, column 1: duplicate key",
  );
});

Deno.test("a billion-laughs document fails fast on the alias limit", () => {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (const [name, prev] of [["b", "a"], ["c", "b"], ["d", "c"], ["e", "d"], ["f", "e"]]) {
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(",")}]`);
  }
  const started = performance.now();
  assert.throws(() => parseAll(lines.join("\n") + "\n", { file: "bomb.yaml" }), /too many aliases/);
  assert.ok(performance.now() - started < 1000);
});

Deno.test("deep nesting is refused, not a crash", () => {
  assert.throws(() => parseAll("[".repeat(50_000)), /nested too deeply/);
});

Deno.test("documents over the size limit are refused", () => {
  const big = "a: " + "x".repeat(2000) + "\n";
  assert.throws(
    () => parseAll(big, { file: "big.yaml", maxDocumentBytes: 1000 }),
    /over the limit/,
  );
});
