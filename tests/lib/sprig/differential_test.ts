import assert from "node:assert/strict";
import { describeMismatches, mismatches } from "../../support/gotemplate_oracle.ts";
import { randomCases } from "./random_cases.ts";
import { SPRIG_CASES } from "./sprig_cases.ts";

Deno.test("Sprig functions behave like Sprig 3.2.3 in Go", async () => {
  const bad = await mismatches(SPRIG_CASES);
  assert.equal(
    bad.length,
    0,
    `${bad.length}/${SPRIG_CASES.length} differ:\n${describeMismatches(bad)}`,
  );
});

Deno.test("a thousand seeded random calls convert arguments and fail like Go", async () => {
  const cases = randomCases(1000);
  const bad = await mismatches(cases);
  assert.equal(bad.length, 0, `${bad.length}/${cases.length} differ:\n${describeMismatches(bad)}`);
});
