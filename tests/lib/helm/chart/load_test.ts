import assert from "node:assert/strict";
import {
  ChartLoadError,
  ChartValidationError,
  IgnoreRules,
  loadChart,
  loadChartFiles,
  pathMatch,
} from "../../../../lib/helm/chart/mod.ts";
import { tempDir } from "../../../support/process.ts";

const enc = new TextEncoder();
const files = (m: Record<string, string>) =>
  Object.entries(m).map(([name, data]) => ({ name, data: enc.encode(data) }));

async function write(root: string, tree: Record<string, string>) {
  for (const [path, text] of Object.entries(tree)) {
    await Deno.mkdir(`${root}/${path}`.replace(/\/[^/]*$/, ""), { recursive: true });
    await Deno.writeTextFile(`${root}/${path}`, text);
  }
}

Deno.test("loads a chart directory honouring .helmignore and following symlinks", async () => {
  const tmp = await tempDir("skiff-chart-");
  try {
    await write(tmp.path, {
      "shared/extra.txt": "linked\n",
      "c/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
      "c/.helmignore": "# comment\n*.bak\nsecret/\n/top.txt\n",
      "c/values.yaml": "a: 1\n",
      "c/templates/a.yaml": "kind: A\n",
      "c/templates/.hidden.yaml": "kind: Hidden\n",
      "c/notes.bak": "ignored\n",
      "c/secret/key": "ignored\n",
      "c/top.txt": "ignored at the root\n",
      "c/sub/top.txt": "kept below the root\n",
    });
    await Deno.symlink(`${tmp.path}/shared/extra.txt`, `${tmp.path}/c/extra.txt`);
    const chart = await loadChart(`${tmp.path}/c`);
    assert.deepEqual(chart.templates.map((t) => t.name), ["templates/a.yaml"]);
    assert.deepEqual(chart.files.map((f) => f.name).sort(), [
      ".helmignore",
      "extra.txt",
      "sub/top.txt",
    ]);
    assert.deepEqual(chart.values, { a: 1 });
  } finally {
    await tmp.remove();
  }
});

Deno.test(".helmignore and --show-only patterns follow Go's filepath.Match", () => {
  assert.ok(pathMatch("templates/*.yaml", "templates/a.yaml"));
  assert.ok(!pathMatch("templates/*.yaml", "templates/sub/a.yaml"));
  assert.ok(pathMatch("templates/[a-c]?.yaml", "templates/b1.yaml"));
  assert.ok(pathMatch("templates/[^a]*", "templates/b"));
  assert.ok(!pathMatch("[", "["));
  const rules = new IgnoreRules().parse("*.txt\n!important.txt\n", ".helmignore");
  assert.ok(rules.ignores("dir/notes.txt", false));
  assert.throws(() => new IgnoreRules().parse("**/x\n", ".helmignore"), /double-star/);
});

Deno.test("Chart.yaml rules and messages are Helm's", async () => {
  const load = (chart: string) => loadChartFiles(files({ "Chart.yaml": chart }), "c");
  await assert.rejects(() =>
    load("name: c\nversion: 1.0.0\n").then((c) => {
      assert.equal(c.metadata.apiVersion, "v1", "a missing apiVersion means v1");
      throw new Error("ok");
    }), /ok/);
  await assert.rejects(
    () => load("apiVersion: v2\nversion: 1.0.0\n"),
    (e) =>
      e instanceof ChartValidationError &&
      e.message === "validation: chart.metadata.name is required",
  );
  await assert.rejects(
    () => load("apiVersion: v2\nname: ../evil\nversion: 1.0.0\n"),
    /chart.metadata.name "..\/evil" is invalid/,
  );
  await assert.rejects(
    () => load("apiVersion: v2\nname: c\nversion: one\n"),
    /chart.metadata.version "one" is invalid/,
  );
  await assert.rejects(
    () => load("apiVersion: v2\nname: c\nversion: 1.0.0\ntype: Library\n"),
    /must be application or library/,
  );
  await assert.rejects(
    () => load("apiVersion: v2\nname: c\nversion: 1.0.0\nkeywords: 3\n"),
    (e) =>
      e instanceof ChartLoadError &&
      /field keywords: expected a list of strings, got number/.test(e.message),
  );
  await assert.rejects(
    () =>
      load(
        "apiVersion: v2\nname: c\nversion: 1.0.0\ndependencies:\n- name: a\n- name: b\n  alias: a\n",
      ),
    /more than one dependency with name or alias "a"/,
  );
  await assert.rejects(
    () => loadChartFiles(files({ "values.yaml": "a: 1\n" }), "c"),
    /Chart.yaml file is missing/,
  );
});

Deno.test("apiVersion v1 charts take dependencies from requirements.yaml", async () => {
  const chart = await loadChartFiles(
    files({
      "Chart.yaml": "apiVersion: v1\nname: old\nversion: 0.1.0\n",
      "requirements.yaml":
        "dependencies:\n- name: sub\n  version: ~0.1\n  condition: sub.enabled\n",
      "charts/sub/Chart.yaml": "name: sub\nversion: 0.1.3\n",
      "charts/_skipped/Chart.yaml": "name: skipped\nversion: 1.0.0\n",
    }),
    "old",
  );
  assert.deepEqual(chart.metadata.dependencies, [{
    name: "sub",
    version: "~0.1",
    condition: "sub.enabled",
  }]);
  assert.deepEqual(chart.dependencies.map((d) => d.metadata.name), ["sub"]);
  assert.ok(
    chart.files.some((f) => f.name === "requirements.yaml"),
    "v1 keeps requirements.yaml in .Files",
  );
});
