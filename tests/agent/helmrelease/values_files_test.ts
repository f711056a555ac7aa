// chart.spec.valuesFiles as source-controller merges them: listed files in order replace the
// chart's default values; files come from the chart (HelmRepository) or from the source root
// (GitRepository); a missing one fails unless ignoreMissingValuesFiles.
import assert from "node:assert/strict";
import { applyValuesFiles, ValuesFileError } from "../../../agent/helmrelease/mod.ts";
import { loadChart } from "../../../lib/helm/mod.ts";

const CHART = new URL("../../fixtures/helmrelease/charts/webapp", import.meta.url).pathname;

async function chartWith(files: Record<string, string>) {
  const chart = await loadChart(CHART);
  for (const [name, text] of Object.entries(files)) {
    chart.files.push({ name, data: new TextEncoder().encode(text) });
  }
  return chart;
}

Deno.test("values files from the chart merge in order over values.yaml when it is listed", async () => {
  const chart = await chartWith({
    "values-prod.yaml": "replicas: 3\nextra:\n  enabled: true\n",
    "values-eu.yaml": "message: hallo\nextra:\n  region: eu\n",
  });
  await applyValuesFiles(chart, {
    valuesFiles: ["values.yaml", "values-prod.yaml", "./values-eu.yaml"],
  });
  assert.equal(chart.values.replicas, 3);
  assert.equal(chart.values.message, "hallo");
  assert.deepEqual(chart.values.extra, { enabled: true, region: "eu" });
  assert.deepEqual(chart.values.hooks, { preFail: false }, "values.yaml was the base");
});

Deno.test("without values.yaml in the list the chart's own defaults are not used", async () => {
  const chart = await chartWith({ "values-min.yaml": "message: only\n" });
  await applyValuesFiles(chart, { valuesFiles: ["values-min.yaml"] });
  assert.deepEqual(chart.values, { message: "only" });
});

Deno.test("a missing values file fails unless ignoreMissingValuesFiles", async () => {
  const chart = await chartWith({});
  await assert.rejects(
    () => applyValuesFiles(chart, { valuesFiles: ["values-nope.yaml"] }),
    (e) =>
      e instanceof ValuesFileError &&
      /no values file found at path 'values-nope.yaml' in the chart/.test(e.message),
  );
  await applyValuesFiles(chart, {
    valuesFiles: ["values.yaml", "values-nope.yaml"],
    ignoreMissingValuesFiles: true,
  });
  assert.equal(chart.values.message, "hello");
});

Deno.test("a Git chart reads values files from the source root and never outside it", async () => {
  const root = await Deno.makeTempDir({ prefix: "skiff-values-files-" });
  try {
    await Deno.mkdir(`${root}/env`);
    await Deno.writeTextFile(`${root}/env/prod.yaml`, "replicas: 5\n");
    const chart = await chartWith({});
    await applyValuesFiles(chart, { valuesFiles: ["env/prod.yaml"] }, root);
    assert.deepEqual(chart.values, { replicas: 5 });
    await assert.rejects(
      () => applyValuesFiles(chart, { valuesFiles: ["../etc/passwd"] }, root),
      (e) => e instanceof ValuesFileError && /leaves the source/.test(e.message),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
