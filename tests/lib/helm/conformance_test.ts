// Helm's own golden cases (../shared/conformance/helm): every Helm 3 `template` and `install`
// case is rendered through lib/helm and compared with helm's output byte for byte.
import assert from "node:assert/strict";
import { runHelm } from "./helm_cli.ts";

const base = new URL("../../../../shared/conformance/helm", import.meta.url).pathname;

interface Case {
  id: string;
  version: string;
  args: string;
  golden: string;
  expect: string;
}

const cases: Case[] = Deno.readTextFileSync(`${base}/cases.tsv`).split("\n").slice(1)
  .filter((l) => l.trim() !== "")
  .map((l) => l.split("\t"))
  .map((c) => ({ id: c[0], version: c[1], args: c[3], golden: c[4], expect: c[5] }))
  .filter((c) => c.version === "v3");

for (const c of cases) {
  Deno.test(`helm conformance ${c.id}`, async () => {
    const want = Deno.readTextFileSync(`${base}/${c.golden}`).replaceAll("\r\n", "\n");
    const got = await runHelm(c.args, base);
    assert.equal(got, want);
  });
}
