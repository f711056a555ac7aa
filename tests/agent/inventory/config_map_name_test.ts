import assert from "node:assert/strict";
import { bookkeepingConfigMapName, InventoryStore } from "../../../agent/inventory/mod.ts";

Deno.test("a bookkeeping ConfigMap name is readable and lower-case when it fits", () => {
  assert.equal(bookkeepingConfigMapName("skiff-hr", "Team-A", "Web"), "skiff-hr-team-a-web");
  assert.equal(InventoryStore.nameFor("flux-system", "apps"), "skiff-ks-flux-system-apps");
});

Deno.test("a name over 253 characters is cut and keeps two long names apart by a hash", () => {
  const long = "a".repeat(300);
  const one = bookkeepingConfigMapName("skiff-ks", "flux-system", `${long}-one`);
  const two = bookkeepingConfigMapName("skiff-ks", "flux-system", `${long}-two`);
  assert.equal(one.length, 245);
  assert.match(one, /^skiff-ks-flux-system-a+-[0-9a-f]{8}$/);
  assert.notEqual(one, two);
  assert.equal(one, bookkeepingConfigMapName("skiff-ks", "flux-system", `${long}-one`));
});
