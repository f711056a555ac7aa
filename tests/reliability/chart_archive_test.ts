// Hostile chart archives: path traversal, absolute paths, links, too many files and a gzip bomb
// are refused with an ArchiveError naming the archive (and the entry), before any file is used.
import assert from "node:assert/strict";
import { ArchiveError, loadChartArchive, renderChart } from "../../lib/helm/mod.ts";
import { recordScenario } from "./record.ts";
import { rejectsWith } from "../support/rejects.ts";
import { CHART_YAML, gzip, gzipBomb, tar, type TarEntry } from "./tar_writer.ts";

const CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n";

function chart(extra: TarEntry[]): TarEntry[] {
  return [
    { name: "app/Chart.yaml", content: CHART_YAML("app") },
    { name: "app/templates/cm.yaml", content: CONFIGMAP },
    ...extra,
  ];
}

async function refused(entries: TarEntry[], ...parts: string[]): Promise<void> {
  await rejectsWith(
    loadChartArchive(await gzip(tar(entries)), "hostile.tgz"),
    ArchiveError,
    "hostile.tgz",
    ...parts,
  );
}

Deno.test("a well-formed archive loads and renders (the control case)", async () => {
  const loaded = await loadChartArchive(await gzip(tar(chart([]))), "good.tgz");
  const out = renderChart(loaded, {}, { releaseName: "web" });
  assert.equal(out.manifests.length, 1);
});

Deno.test("entries climbing out of the chart with ../ are refused", async () => {
  const names = ["../../evil.yaml", "app/../../evil.yaml", "app/templates/../../../x"];
  for (const name of names) {
    await refused(chart([{ name, content: "x" }]), "parent directory");
  }
  await recordScenario("chart-path-traversal", { faultsInjected: names.length });
});

Deno.test("entries with absolute paths are refused", async () => {
  await refused(chart([{ name: "/etc/passwd", content: "root:x:0:0" }]), "absolute path");
  await recordScenario("chart-absolute-path", { faultsInjected: 1 });
});

Deno.test("symlink and hard-link entries are refused", async () => {
  await refused(
    chart([{ name: "app/templates/link.yaml", type: "2", linkName: "/etc/shadow" }]),
    "links are not allowed",
  );
  await refused(
    chart([{ name: "app/templates/hard.yaml", type: "1", linkName: "app/Chart.yaml" }]),
    "links are not allowed",
  );
  await recordScenario("chart-symlink", { faultsInjected: 2 });
});

Deno.test("an archive of 10,001 files is refused at the 10,000-file limit", async () => {
  const many: TarEntry[] = [];
  for (let i = 0; i < 10_000; i++) many.push({ name: `app/files/f${i}.txt`, content: "x" });
  await refused(chart(many), "more than 10000 files");
  await recordScenario("chart-many-files", { faultsInjected: 1 });
});

Deno.test("a gzip bomb is stopped at the size ceiling while inflating", async () => {
  const bomb = await gzipBomb(200 * 1024 * 1024);
  assert.ok(bomb.length < 512 * 1024, `the bomb is ${bomb.length} bytes`);
  // Inflating stops at the chart ceiling (100 MiB of files plus tar headers), never reaching
  // the 200 MiB the bomb expands to: the error names the ceiling it stopped at.
  const error = await rejectsWith(
    loadChartArchive(bomb, "bomb.tgz"),
    ArchiveError,
    "bomb.tgz",
    "decompresses to more than",
  );
  const ceiling = Number(/more than (\d+) bytes/.exec(error.message)?.[1]);
  assert.ok(ceiling < 120 * 1024 * 1024, error.message);
  await recordScenario("chart-gzip-bomb", {
    faultsInjected: 1,
    note: `${Math.round(bomb.length / 1024)} KiB → 200 MiB`,
  });
});
