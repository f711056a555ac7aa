import assert from "node:assert/strict";
import { buildKustomizeCommand } from "../../../agent/cli/build_kustomize.ts";
import { tempDir } from "../../support/process.ts";
import { writeTree } from "../../lib/kustomize/tree.ts";

Deno.test("skiff build kustomize prints the build as kustomize does", async () => {
  const tmp = await tempDir("skiff-cli-");
  try {
    await writeTree(tmp.path, {
      "app/kustomization.yaml": "namePrefix: p-\nresources: [cm.yaml]\n",
      "app/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n",
    });
    let out = "";
    const code = await buildKustomizeCommand(`${tmp.path}/app`, {
      root: tmp.path,
      write: (t) => (out += t),
    });
    assert.equal(code, 0);
    assert.equal(out, "apiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n  name: p-a\n");
  } finally {
    await tmp.remove();
  }
});

Deno.test("skiff build kustomize exits 1 on a build error and 2 on a missing directory", async () => {
  const tmp = await tempDir("skiff-cli-");
  const originalError = console.error;
  const errors: string[] = [];
  console.error = (...args: unknown[]) => errors.push(args.join(" "));
  try {
    await writeTree(tmp.path, { "app/kustomization.yaml": "resources: [missing.yaml]\n" });
    assert.equal(await buildKustomizeCommand(`${tmp.path}/app`, { root: tmp.path }), 1);
    assert.match(
      errors[0],
      /app\/kustomization.yaml: resources\[0\]: "missing.yaml" does not exist/,
    );
    assert.equal(await buildKustomizeCommand(`${tmp.path}/nope`), 2);
  } finally {
    console.error = originalError;
    await tmp.remove();
  }
});
