import assert from "node:assert/strict";
import { emitYaml } from "../../../lib/kustomize/mod.ts";

Deno.test("objects print with sorted keys, lists at their key's indentation, --- between", () => {
  const out = emitYaml([
    { kind: "A", apiVersion: "v1", spec: { list: [{ b: 1, a: 2 }, "s"], empty: {}, none: [] } },
    { kind: "B" },
  ]);
  assert.equal(
    out,
    "apiVersion: v1\nkind: A\nspec:\n  empty: {}\n  list:\n  - a: 2\n    b: 1\n  - s\n  none: []\n---\nkind: B\n",
  );
});

Deno.test("strings are quoted the way go-yaml v2 quotes them", () => {
  const out = emitYaml([{
    a: "yes",
    b: "1.5",
    c: "",
    d: "- x",
    e: "a: b",
    f: "tab\there",
    g: "plain text",
    h: "0777",
    i: "2024-01-02",
    j: "it's",
  }]);
  assert.equal(
    out,
    [
      'a: "yes"',
      'b: "1.5"',
      'c: ""',
      "d: '- x'",
      "e: 'a: b'",
      'f: "tab\\there"',
      "g: plain text",
      'h: "0777"',
      'i: "2024-01-02"',
      "j: it's",
      "",
    ].join("\n"),
  );
});

Deno.test("multi-line strings become literal blocks with the right chomping", () => {
  assert.equal(emitYaml([{ a: "x\ny\n" }]), "a: |\n  x\n  y\n");
  assert.equal(emitYaml([{ a: "x\ny" }]), "a: |-\n  x\n  y\n");
  assert.equal(emitYaml([{ a: "x\n\n" }]), "a: |+\n  x\n\n");
  assert.equal(emitYaml([{ a: " x\n" }]), "a: |2\n   x\n");
});

Deno.test("keys sort as go-yaml v2 sorts them (non-letters first, numbers by value)", () => {
  const out = emitYaml([{ ANOTHER: 1, A_FIRST: 2, k10: 3, k9: 4 }]);
  assert.equal(out, "A_FIRST: 2\nANOTHER: 1\nk9: 4\nk10: 3\n");
});
