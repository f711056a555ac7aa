// Where a kubectl with kustomize v5 is installed, every fixture (the conformance cases and
// testdata/) is built by both and the outputs must be identical. Skipped, with a message, where
// kubectl is absent or its kustomize is older than v5.
import assert from "node:assert/strict";
import { buildKustomization, emitYaml } from "../../../lib/kustomize/mod.ts";
import { CONFORMANCE_DIR, conformanceAvailable, readCases } from "./conformance_cases.ts";
import { fixtureNames, TESTDATA } from "./fixtures.ts";
import { writeBenchTree } from "../../../bench/kustomize/tree.ts";
import { tempDir } from "../../support/process.ts";

async function kubectlKustomizeVersion(): Promise<string | undefined> {
  try {
    const out = await new Deno.Command("kubectl", { args: ["version", "--client"], stderr: "null" })
      .output();
    const m = new TextDecoder().decode(out.stdout).match(/Kustomize Version: v(\d+)\.(\d+)\.(\d+)/);
    return m && Number(m[1]) >= 5 ? `v${m[1]}.${m[2]}.${m[3]}` : undefined;
  } catch {
    return undefined;
  }
}

async function kubectlKustomize(dir: string): Promise<{ ok: boolean; out: string }> {
  const out = await new Deno.Command("kubectl", { args: ["kustomize", dir], stderr: "piped" })
    .output();
  return { ok: out.success, out: new TextDecoder().decode(out.stdout) };
}

const version = await kubectlKustomizeVersion();
if (!version) {
  console.log("kubectl with kustomize v5 not found: the kubectl differential test is skipped");
}

const dirs: { label: string; root: string; dir: string }[] = [];
if (conformanceAvailable()) {
  for (const c of readCases()) {
    if (!c.expectError) dirs.push({ label: c.id, root: CONFORMANCE_DIR + c.id, dir: "build" });
  }
}
for (const name of fixtureNames()) dirs.push({ label: name, root: TESTDATA, dir: name });

Deno.test({
  name: `kubectl kustomize (${version ?? "absent"}) and skiff print the same for every fixture`,
  ignore: !version,
  async fn() {
    const failures: string[] = [];
    // A few builds at a time: kubectl starts a process per build.
    const queue = [...dirs];
    await Promise.all(Array.from({ length: 4 }, async () => {
      for (let d = queue.shift(); d; d = queue.shift()) {
        const theirs = await kubectlKustomize(`${d.root}/${d.dir}`);
        assert.ok(theirs.ok, `kubectl kustomize failed on ${d.label}`);
        const ours = emitYaml(await buildKustomization(d.root, d.dir));
        if (ours !== theirs.out) failures.push(d.label);
      }
    }));
    assert.deepEqual(failures, [], `outputs differ for: ${failures.join(", ")}`);
  },
});

Deno.test({
  name: "kubectl kustomize and skiff print the same for the benchmark tree (3 overlay levels)",
  ignore: !version,
  async fn() {
    const tmp = await tempDir("skiff-kustomize-bench-");
    try {
      const dir = await writeBenchTree(tmp.path, 4);
      const theirs = await kubectlKustomize(dir);
      assert.ok(theirs.ok);
      assert.equal(emitYaml(await buildKustomization(tmp.path, "envs")), theirs.out);
    } finally {
      await tmp.remove();
    }
  },
});
