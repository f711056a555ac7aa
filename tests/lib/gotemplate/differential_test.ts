import assert from "node:assert/strict";
import {
  describeMismatches,
  mismatches,
} from "../../support/gotemplate_oracle.ts";
import { LANGUAGE_CASES } from "./language_cases.ts";

Deno.test("the template language renders like Go's text/template", async () => {
  const bad = await mismatches(LANGUAGE_CASES);
  assert.equal(bad.length, 0, `${bad.length}/${LANGUAGE_CASES.length} differ:\n${describeMismatches(bad)}`);
});
