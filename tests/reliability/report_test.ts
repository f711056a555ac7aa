// docs/reliability.md is what report.ts generates from this suite: it lists exactly the
// scenarios of scenarios.ts (so it cannot silently go stale when a scenario is added or
// reworded), every one passed, and it shows 0 objects lost and 0 secrets leaked.
import assert from "node:assert/strict";
import { renderReport, REPORT_PATH, reportRows } from "./report.ts";
import type { ScenarioResult } from "./record.ts";
import { SCENARIOS } from "./scenarios.ts";

Deno.test("the committed report lists exactly the suite's scenarios, all passed", async () => {
  const doc = await Deno.readTextFile(REPORT_PATH);
  assert.deepEqual(
    reportRows(doc),
    SCENARIOS.map((s) => ({ scenario: s.scenario, expectation: s.expectation })),
    "docs/reliability.md is stale: run `deno run -A tests/reliability/report.ts`",
  );
  assert.ok(!doc.includes("**FAILED**"), "the report shows a failed scenario");
  assert.match(
    doc,
    new RegExp(`Scenarios passed: \\*\\*${SCENARIOS.length} / ${SCENARIOS.length}\\*\\*`),
  );
  assert.match(doc, /Objects lost: \*\*0\*\*/);
  assert.match(doc, /Secrets leaked: \*\*0\*\*/);
});

Deno.test("scenario ids are unique and every row renders with its counts", () => {
  const ids = SCENARIOS.map((s) => s.id);
  assert.equal(new Set(ids).size, ids.length);
  const results = new Map<string, ScenarioResult>([[SCENARIOS[0].id, {
    id: SCENARIOS[0].id,
    faultsInjected: 3,
    objectsLost: 0,
    secretsLeaked: 0,
    note: "n",
  }]]);
  const doc = renderReport(SCENARIOS, results, 1);
  assert.equal(reportRows(doc).length, SCENARIOS.length);
  assert.match(doc, /\| pass \| 3 \| 0 \| 0 \| n \|/);
  assert.deepEqual(reportRows(doc.replaceAll(" | ", "   |   ")), reportRows(doc), "padding-proof");
  assert.match(doc, /Scenarios passed: \*\*1 \//);
  for (const s of SCENARIOS) assert.ok(!`${s.scenario}${s.expectation}`.includes("|"), s.id);
});
