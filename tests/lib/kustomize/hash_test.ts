import assert from "node:assert/strict";
import { hashSuffix } from "../../../lib/kustomize/generators/hash.ts";

Deno.test("the ConfigMap hash suffix is computed as kustomize v5 computes it", async () => {
  // Values taken from kustomize's own output (conformance cases 073 and 061).
  assert.equal(
    await hashSuffix({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "test" },
      data: { TEST: "this is a 'test'" },
    }),
    "k9cc55dfm5",
  );
  assert.equal(
    await hashSuffix({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "blue" } }),
    "6ct58987ht",
  );
});

Deno.test("the hash depends on the data, not on the name", async () => {
  const a = await hashSuffix({ kind: "ConfigMap", metadata: { name: "a" }, data: { k: "v" } });
  const b = await hashSuffix({ kind: "ConfigMap", metadata: { name: "b" }, data: { k: "v" } });
  const c = await hashSuffix({ kind: "ConfigMap", metadata: { name: "a" }, data: { k: "w" } });
  assert.equal(a, b);
  assert.notEqual(a, c);
  assert.match(a, /^[0-9a-z]{10}$/);
  assert.doesNotMatch(a, /[013ae]/);
});
