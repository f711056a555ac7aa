// The pending inventory: recorded before an apply's first write so that an agent killed mid-apply
// still prunes, after restarting, the objects that apply created and that left Git meanwhile.
import assert from "node:assert/strict";
import { startApiServer } from "../../apiserver/mod.ts";
import { InventoryStore, pendingInventory } from "../../../agent/inventory/mod.ts";
import {
  ApplyEngine,
  Inventory,
  KubeClient,
  type KubeObject,
  loadKubeConfig,
} from "../../../lib/kube/mod.ts";

const OWNER = {
  "kustomize.toolkit.fluxcd.io/name": "apps",
  "kustomize.toolkit.fluxcd.io/namespace": "flux-system",
};

function cm(name: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, namespace: "default" },
    data: {},
  };
}

function names(inventory: Inventory | undefined): string[] {
  return (inventory?.entries() ?? []).map((e) => e.name);
}

Deno.test("pending inventory is previous ∪ new set, and nothing when the set is covered", () => {
  const previous = Inventory.fromObjects([cm("a"), cm("b")]);
  assert.deepEqual(names(pendingInventory(previous, [cm("b"), cm("c")])), ["a", "b", "c"]);
  assert.deepEqual(names(pendingInventory(undefined, [cm("a")])), ["a"]);
  assert.equal(pendingInventory(previous, [cm("a")]), undefined, "subset: no write");
  assert.equal(pendingInventory(previous, []), undefined);
  const nameless = { apiVersion: "v1", kind: "ConfigMap", metadata: {} } as KubeObject;
  assert.equal(pendingInventory(previous, [nameless]), undefined, "refused before any write");
});

Deno.test(
  "an apply killed after the pending save leaves no orphan: the restarted agent prunes it",
  { sanitizeResources: false, sanitizeOps: false },
  async () => {
    const api = await startApiServer();
    try {
      api.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "flux-system" } });
      const client = new KubeClient(await loadKubeConfig({ kubeconfig: api.kubeconfigPath }));
      const engine = new ApplyEngine(client);
      const first = new InventoryStore(client, "flux-system");
      const applied = await engine.applySet([cm("keep")], undefined, {
        ownerLabels: OWNER,
        prune: true,
      });
      const done = {
        inventory: applied.inventory,
        revision: "r1",
        renderedDigest: "d1",
        appliedAt: "t1",
      };
      await first.save("flux-system", "apps", done);

      // Run 2 renders keep + rotated + never-created; the pending set is stored, then the apply
      // creates only `rotated` before the agent dies.
      const set2 = [cm("keep"), cm("rotated"), cm("never-created")];
      const pending = pendingInventory(done.inventory, set2)!;
      await first.savePending("flux-system", "apps", pending, done);
      await engine.applySet([cm("rotated")], undefined, { ownerLabels: OWNER });

      // A new agent (empty cache) reads the pending state from the cluster.
      const restarted = new InventoryStore(client, "flux-system");
      const loaded = await restarted.load("flux-system", "apps");
      assert.equal(loaded?.pending, true);
      assert.equal(loaded?.revision, "r1", "the last successful revision is kept");
      assert.equal(loaded?.renderedDigest, "", "a pending state never matches a render");
      assert.deepEqual(names(loaded?.inventory), ["keep", "never-created", "rotated"]);

      // Run 3: `rotated` and `never-created` left Git. The missing one is nothing to prune.
      const changes = await engine.applySet([cm("keep")], loaded?.inventory, {
        ownerLabels: OWNER,
        prune: true,
      });
      assert.deepEqual(
        changes.changes.filter((c) => c.action === "deleted").map((c) => c.id.name),
        ["rotated"],
      );
      assert.equal(api.store.get("v1", "ConfigMap", "rotated", "default"), undefined);
      const keepUid =
        (api.store.get("v1", "ConfigMap", "keep", "default")?.metadata as { uid: string }).uid;
      assert.ok(keepUid);

      // The finished state replaces the pending one entirely.
      await restarted.save("flux-system", "apps", {
        inventory: changes.inventory,
        revision: "r3",
        renderedDigest: "d3",
        appliedAt: "t3",
      });
      const stored = api.store.get(
        "v1",
        "ConfigMap",
        InventoryStore.nameFor("flux-system", "apps"),
        "flux-system",
      );
      assert.equal((stored?.data as Record<string, string>).pending, undefined);
      const reread = await new InventoryStore(client, "flux-system").load("flux-system", "apps");
      assert.equal(reread?.pending, undefined);
      assert.deepEqual(names(reread?.inventory), ["keep"]);
    } finally {
      await api.stop();
    }
  },
);
