import assert from "node:assert/strict";
import { checkSemverRange } from "../../../agent/config/schema/semver_range.ts";
import { runOracle } from "../../support/go.ts";

const ranges = [
  ">=1.0.0",
  ">= 1.2, < 2",
  "^1.2",
  "~1.2.3",
  "1.x",
  "*",
  "1.2 - 1.4.5",
  ">1.0.0 <2.0.0",
  "~1.2.3 || 2.x",
  "v1.2.3",
  "=1.2.3",
  "!=1.2.3",
  "~>1.2",
  ">=1.0.0-rc.1",
  "1.2.3+build.1",
  ">=one.two",
  "latest",
  "",
  ">=",
  "1.2.3.4",
  "1.x || latest",
  ">=1.0.0 || ",
  "^",
  "1 - 2 - 3",
  ">= 1.2 < 2",
  "=>1.2",
  "=<2",
  "X",
  "1.2.*",
  ">>1",
  "1,2",
  "~1.2,",
  "v",
];

Deno.test("range syntax is accepted exactly where Masterminds semver accepts it", async () => {
  const verdicts = (await runOracle("semverconstraint", ranges.join("\n") + "\n")).trimEnd()
    .split("\n");
  ranges.forEach((range, i) => {
    const ours = checkSemverRange(range) === undefined ? "ok" : "error";
    assert.equal(ours, verdicts[i], `range ${JSON.stringify(range)}`);
  });
});
