// Helm's dependency (condition/tags/alias/import-values) and coalescing cases from
// ../shared/conformance/helm/values, transcribed from Helm's own unit tests.
import assert from "node:assert/strict";
import {
  type Chart,
  chartPath,
  cloneChartTree,
  loadChart,
  processDependencyEnabled,
  processDependencyImportValues,
} from "../../../../lib/helm/chart/mod.ts";
import {
  coalesceValues,
  deepCopy,
  isTable,
  parseValuesYaml,
  type Table,
} from "../../../../lib/helm/values/mod.ts";
import { GoInt, Template } from "../../../../lib/gotemplate/mod.ts";

const base = new URL("../../../../../shared/conformance/helm/values/", import.meta.url).pathname;
const deps = JSON.parse(Deno.readTextFileSync(`${base}dependencies-cases.json`));
const coalesce = JSON.parse(Deno.readTextFileSync(`${base}coalesce-cases.json`));

function allPaths(c: Chart): string[] {
  return [chartPath(c), ...c.dependencies.flatMap(allPaths)];
}

function lookup(values: Table, path: string): { found: boolean; value?: unknown } {
  let cur: unknown = values;
  for (const part of path.split(".")) {
    if (!isTable(cur) || !(part in cur)) return { found: false };
    cur = cur[part];
  }
  return { found: true, value: cur };
}

function asText(v: unknown): string {
  if (v instanceof GoInt) return v.value.toString();
  return String(v);
}

for (const c of deps.dependencyEnabled) {
  Deno.test(`dependency enabled: ${c.name}`, async () => {
    const chart = cloneChartTree(await loadChart(`${base}${c.chart}`));
    processDependencyEnabled(chart, c.userValues);
    assert.deepEqual(allPaths(chart).sort(), c.expectedChartPathsSorted);
  });
}

for (const c of deps.importValues) {
  Deno.test(`import values: ${c.name}`, async () => {
    const chart = cloneChartTree(await loadChart(`${base}${c.chart}`));
    const before = chart.dependencies.length;
    for (const step of c.steps as string[]) {
      if (step.startsWith("processDependencyImportValues")) {
        processDependencyImportValues(chart, step.includes("merge=true"));
      } else {
        processDependencyEnabled(chart, deepCopy(chart.values), "");
      }
    }
    for (const [path, want] of Object.entries(c.expectedPathValues ?? {})) {
      const got = lookup(chart.values, path);
      assert.ok(got.found, `${path} is missing`);
      assert.equal(asText(got.value), want, path);
    }
    for (const path of c.expectedAbsentPaths ?? []) {
      assert.equal(lookup(chart.values, path).found, false, path);
    }
    for (const path of c.expectedNullPaths ?? []) {
      assert.equal(lookup(chart.values, path).value, null, path);
    }
    if (c.expect) {
      assert.equal(before, c.expect.dependenciesBeforeEnabled);
      assert.equal(chart.dependencies.length, c.expect.dependenciesAfterEnabled);
      assert.equal(chart.metadata.dependencies?.length, c.expect.chartYamlDependencies);
      const remaining = chart.dependencies[0];
      assert.equal(
        remaining.values.nameOverride,
        c.expect["remainingDependencyValues.nameOverride"],
      );
    }
  });
}

interface JsonChart {
  name: string;
  values: Table;
  dependencies: JsonChart[];
}

function buildChart(j: JsonChart, parent?: Chart): Chart {
  const c: Chart = {
    metadata: { apiVersion: "v2", name: j.name, version: "0.1.0" },
    templates: [],
    values: j.values,
    files: [],
    dependencies: [],
    parent,
  };
  c.dependencies = j.dependencies.map((d) => buildChart(d, c));
  return c;
}

Deno.test("coalescing: user values over chart defaults, globals down the tree, nulls delete", () => {
  const chart = buildChart(coalesce.chart);
  const user = parseValuesYaml(coalesce.userValuesYaml, "user-values.yaml");
  const userBefore = deepCopy(user);
  const values = coalesceValues(chart, user);
  for (const [template, want] of coalesce.templateExpectations as Array<[string, string]>) {
    assert.equal(new Template("t").parse(template).execute(values), want, template);
  }
  for (const key of coalesce.absentKeys as string[]) {
    assert.equal(lookup(values, key).found, false, key);
  }
  if (coalesce.mustNotMutateUserValues) assert.deepEqual(user, userBefore);
});
