// Build errors say which kustomization file and field failed and what was expected.
import assert from "node:assert/strict";
import { buildKustomization, KustomizeError } from "../../../lib/kustomize/mod.ts";
import { tempDir } from "../../support/process.ts";
import { CM, writeTree } from "./tree.ts";

async function buildError(files: Record<string, string>): Promise<KustomizeError> {
  const tmp = await tempDir("skiff-kustomize-");
  try {
    await writeTree(tmp.path, files);
    await buildKustomization(tmp.path, "app");
  } catch (e) {
    assert.ok(e instanceof KustomizeError, `expected a KustomizeError, got ${e}`);
    return e;
  } finally {
    await tmp.remove();
  }
  throw new Error("the build succeeded");
}

Deno.test("a missing resource names the file and the list entry", async () => {
  const e = await buildError({
    "app/kustomization.yaml": "resources:\n- cm.yaml\n- missing.yaml\n",
    "app/cm.yaml": CM("a"),
  });
  assert.equal(e.file, "app/kustomization.yaml");
  assert.equal(e.field, "resources[1]");
  assert.equal(e.message, 'app/kustomization.yaml: resources[1]: "missing.yaml" does not exist');
});

Deno.test("an unknown field is refused", async () => {
  const e = await buildError({ "app/kustomization.yaml": "resource:\n- cm.yaml\n" });
  assert.equal(
    e.message,
    'app/kustomization.yaml: resource: unknown field "resource" in a kustomization',
  );
});

Deno.test("a directory without a kustomization file is named", async () => {
  const e = await buildError({
    "app/kustomization.yaml": "resources: [../plain]\n",
    "plain/cm.yaml": CM("a"),
  });
  assert.match(e.message, /resources\[0\]: "plain" has no kustomization.yaml/);
});

Deno.test("two objects with the same id are refused", async () => {
  const e = await buildError({
    "app/kustomization.yaml": "resources: [a.yaml, b.yaml]\n",
    "app/a.yaml": CM("same"),
    "app/b.yaml": CM("same"),
  });
  assert.equal(e.field, "resources[1]");
  assert.match(e.message, /already registered id: ConfigMap.v1\/same/);
});

Deno.test("a patch without a target object says which patch", async () => {
  const e = await buildError({
    "app/kustomization.yaml":
      "resources: [cm.yaml]\npatches:\n- patch: |-\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: other\n",
    "app/cm.yaml": CM("a"),
  });
  assert.equal(e.field, "patches[0]");
  assert.match(e.message, /no object matches the patch for ConfigMap "other"/);
});

Deno.test("a generator merge without a base object is refused", async () => {
  const e = await buildError({
    "app/kustomization.yaml":
      "configMapGenerator:\n- name: cm\n  behavior: merge\n  literals: [a=b]\n",
  });
  assert.equal(e.field, "configMapGenerator[0]");
  assert.match(e.message, /does not exist; cannot merge it/);
});

Deno.test("invalid YAML in a resource names the resource file and line", async () => {
  const e = await buildError({
    "app/kustomization.yaml": "resources: [bad.yaml]\n",
    "app/bad.yaml": "kind: ConfigMap\nmetadata:\n  name: [unclosed\n",
  });
  assert.equal(e.field, "resources[0]");
  assert.match(e.message, /app\/bad.yaml/);
});

Deno.test("a component listed as a resource is refused", async () => {
  const e = await buildError({
    "app/kustomization.yaml": "resources: [../comp]\n",
    "comp/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n",
  });
  assert.match(e.message, /expected kind Kustomization but got Component/);
});
