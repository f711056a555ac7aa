// The emulator's Kubernetes data lives in the repository (tests/apiserver/data/); when the
// upstream copy in ../shared/k8s is present, the vendored files must match it.
import assert from "node:assert/strict";
import { sameContent, vendoredFiles } from "./data/vendor.ts";
import { K8S_DATA_DIR } from "./k8s_data.ts";

const shared = new URL("../../../shared/k8s/", import.meta.url).pathname;

Deno.test("the vendored Kubernetes data matches ../shared/k8s (deno run -A tests/apiserver/data/vendor.ts)", async () => {
  try {
    await Deno.stat(shared);
  } catch {
    console.log(`skipped: ${shared} is absent; the vendored copy is used as is`);
    return;
  }
  const stale: string[] = [];
  for (const [name, bytes] of vendoredFiles()) {
    const current = await Deno.readFile(`${K8S_DATA_DIR}${name}`).catch(() => undefined);
    if (!current || !sameContent(name, current, bytes)) stale.push(name);
  }
  assert.deepEqual(stale, []);
});
