import assert from "node:assert/strict";
import { describeMismatches, mismatches } from "../../support/gotemplate_oracle.ts";
import { GENERATED_CASES } from "./generated_cases.ts";
import { LANGUAGE_CASES } from "./language_cases.ts";

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
