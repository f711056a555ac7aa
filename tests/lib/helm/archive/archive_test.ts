import assert from "node:assert/strict";
import { ArchiveError, readTgz } from "../../../../lib/helm/archive/mod.ts";
import { loadChartArchive } from "../../../../lib/helm/chart/mod.ts";
import { chartEntries, gzip, tar, tgz } from "../../../support/tar_writer.ts";

Deno.test("reads the regular files of a chart archive", async () => {
  const files = await readTgz(
    await tgz(chartEntries("demo", [{ name: "demo/templates", type: "5" }])),
  );
  assert.deepEqual(files.map((f) => f.name).sort(), [
    "demo/Chart.yaml",
    "demo/templates/cm.yaml",
    "demo/values.yaml",
  ]);
});

Deno.test("reads GNU long names", async () => {
  const long = `demo/${"d".repeat(120)}/file.txt`;
  const files = await readTgz(await tgz([{ name: long, data: "x" }]));
  assert.equal(files[0].name, long);
});

for (
  const [what, entry, pattern] of [
    ["a path that climbs out", { name: "demo/../../etc/passwd", data: "x" }, /parent directory/],
    ["an absolute path", { name: "/etc/passwd", data: "x" }, /absolute paths/],
    ["a Windows drive path", { name: "C:\\evil.txt", data: "x" }, /absolute paths/],
    [
      "a symlink",
      { name: "demo/link", type: "2", linkName: "/etc/passwd" },
      /links are not allowed/,
    ],
    [
      "a hard link",
      { name: "demo/hard", type: "1", linkName: "demo/Chart.yaml" },
      /links are not allowed/,
    ],
    ["a device", { name: "demo/dev", type: "3" }, /unsupported tar entry type '3'/],
  ] as const
) {
  Deno.test(`refuses ${what}`, async () => {
    const bytes = await tgz([...chartEntries("demo"), entry]);
    await assert.rejects(
      () => readTgz(bytes, "evil.tgz"),
      (e) => e instanceof ArchiveError && pattern.test(e.message),
    );
  });
}

Deno.test("refuses an oversized file and too many files", async () => {
  const big = await tgz([{ name: "demo/big", data: new Uint8Array(2048) }]);
  await assert.rejects(
    () => readTgz(big, "big.tgz", { maxFileBytes: 1024 }),
    /file is 2048 bytes, more than the limit of 1024/,
  );
  const many = await tgz(Array.from({ length: 20 }, (_, i) => ({ name: `demo/f${i}`, data: "x" })));
  await assert.rejects(() => readTgz(many, "many.tgz", { maxFiles: 10 }), /more than 10 files/);
});

Deno.test("stops a gzip bomb at the size limit", async () => {
  // 64 MiB of zeros compress to ~64 KiB; the limit is 1 MiB.
  const bomb = await gzip(tar([{ name: "demo/zeros", data: new Uint8Array(64 * 1024 * 1024) }]));
  assert.ok(bomb.length < 200 * 1024);
  const started = performance.now();
  await assert.rejects(
    () => readTgz(bomb, "bomb.tgz", { maxTotalBytes: 1024 * 1024, maxFileBytes: 1024 * 1024 }),
    /decompresses to more than/,
  );
  assert.ok(performance.now() - started < 5000);
});

Deno.test("refuses data that is not gzip, and truncated archives", async () => {
  await assert.rejects(
    () => readTgz(new TextEncoder().encode("hello"), "x.tgz"),
    /not a gzipped archive/,
  );
  const truncated = await gzip(
    tar([{ name: "demo/a", data: "abc", size: 4096 }]).subarray(0, 1024),
  );
  await assert.rejects(() => readTgz(truncated, "t.tgz"), /truncated tar archive|corrupt/);
});

Deno.test("a chart archive must keep Chart.yaml inside its top directory", async () => {
  await assert.rejects(
    async () => loadChartArchive(await tgz([{ name: "Chart.yaml", data: "name: x" }]), "flat.tgz"),
    /chart yaml not in base directory|outside the base directory/,
  );
  const chart = await loadChartArchive(await tgz(chartEntries("demo")), "demo.tgz");
  assert.equal(chart.metadata.name, "demo");
  assert.equal(chart.templates.length, 1);
});
