// Untrusted config input fails fast and clearly: alias bombs, oversized documents, deep nesting.
import assert from "node:assert/strict";
import { configProblems } from "./problems.ts";

Deno.test("a billion-laughs document fails within a second on the alias limit", () => {
  const lines = ["apiVersion: skiff.dev/v1alpha1", "kind: Agent", "metadata:", "  annotations:"];
  lines.push('    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]');
  for (
    const [name, prev] of [["b", "a"], ["c", "b"], ["d", "c"], ["e", "d"], ["f", "e"], ["g", "f"], [
      "h",
      "g",
    ], ["i", "h"]]
  ) {
    lines.push(`    ${name}: &${name} [${Array(9).fill(`*${prev}`).join(",")}]`);
  }
  const started = performance.now();
  const problems = configProblems(lines.join("\n") + "\n", "bomb.yaml");
  assert.ok(performance.now() - started < 1000, "took too long");
  assert.deepEqual(problems, [
    "bomb.yaml: document 1: line 1, column 1: too many aliases: alias expansion is limited (a YAML bomb?)",
  ]);
});

Deno.test("a document over 10 MiB is refused, and the other documents are still checked", () => {
  const big = "apiVersion: skiff.dev/v1alpha1\nkind: Agent\nmetadata:\n  annotations:\n    blob: " +
    "x".repeat(10 * 1024 * 1024 + 10) + "\n";
  const bad = "---\napiVersion: skiff.dev/v1alpha1\nkind: Agnet\n";
  const problems = configProblems(big + bad, "big.yaml");
  assert.deepEqual(problems, [
    "big.yaml: document 1: line 1, column 1: document is 10.0 MiB, over the limit of 10.0 MiB",
    'big.yaml: document 2 (Agnet): kind: unknown kind "Agnet"; did you mean "Agent"?',
  ]);
});

Deno.test("deep nesting is a problem, not a crash", () => {
  const problems = configProblems("spec: " + "[".repeat(20_000) + "\n", "deep.yaml");
  assert.equal(problems.length, 1);
  assert.match(
    problems[0],
    /^deep\.yaml: document 1: line 1, column \d+: document is nested too deeply$/,
  );
});
