import assert from "node:assert/strict";
import { describeMismatches, mismatches } from "../../support/gotemplate_oracle.ts";
import { GENERATED_CASES } from "./generated_cases.ts";
import { LANGUAGE_CASES } from "./language_cases.ts";
import { randomTemplates } from "./random_templates.ts";

Deno.test("the template language renders like Go's text/template", async () => {
  const bad = await mismatches(LANGUAGE_CASES);
  assert.equal(
    bad.length,
    0,
    `${bad.length}/${LANGUAGE_CASES.length} differ:\n${describeMismatches(bad)}`,
  );
});

Deno.test("generated combinations of verbs, kinds, comparisons and trimming render like Go", async () => {
  const bad = await mismatches(GENERATED_CASES);
  assert.equal(
    bad.length,
    0,
    `${bad.length}/${GENERATED_CASES.length} differ:\n${describeMismatches(bad)}`,
  );
});

Deno.test("a thousand seeded random templates render like Go", async () => {
  const cases = randomTemplates(1000);
  // Infinite recursion fails in both, but where JavaScript's stack ends is not Go's depth.
  const depth = /exceeded maximum template depth/;
  const bad = (await mismatches(cases)).filter((m) =>
    !(depth.test(m.go.error ?? "") && depth.test(m.skiff.error ?? ""))
  );
  assert.equal(bad.length, 0, `${bad.length}/${cases.length} differ:\n${describeMismatches(bad)}`);
});
