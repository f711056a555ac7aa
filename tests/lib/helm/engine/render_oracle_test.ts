// Differential test: the 40-template benchmark chart rendered by skiff and by Go's own
// text/template + Sprig + Helm's toYaml/include (tests/oracle/helmrender) must be identical.
import assert from "node:assert/strict";
import { writeBenchChart } from "../../../../bench/helm/chart_fixture.ts";
import { helmTemplate } from "../../../../lib/helm/mod.ts";
import { buildOracle } from "../../../support/go.ts";

Deno.test("a chart with helpers renders exactly as Go's template engine renders it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeBenchChart(`${dir}/bench`);
    const ours = await helmTemplate({ chart: `${dir}/bench`, releaseName: "bench" });
    const bin = await buildOracle("helmrender");
    const go = await new Deno.Command(bin, { args: [`${dir}/bench`, "1"] }).output();
    assert.equal(go.code, 0, new TextDecoder().decode(go.stderr));
    const theirs = JSON.parse(new TextDecoder().decode(go.stdout)).output as string;
    assert.equal(ours, theirs);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
