// A restart in the middle of an apply: the first agent's apply breaks half-way (the API fails
// every Deployment write), so its inventory is not rewritten; a fresh agent (new process state,
// empty cache) reads the inventory from the cluster, converges, and prunes what left Git.
import assert from "node:assert/strict";
import {
  appsConfig,
  configMap,
  deployment,
  e2eOpts as opts,
  eventually,
  startWorld,
} from "./harness.ts";

Deno.test("a restart mid-apply converges without losing the inventory", opts, async () => {
  const world = await startWorld(
    { "apps/a.yaml": configMap("a", { v: "1" }), "apps/b.yaml": configMap("b", { v: "1" }) },
    (url) => appsConfig(url, "1h"),
  );
  try {
    const key = "Kustomization/flux-system/apps";
    const store = world.api.store;
    const first = await world.startAgent();
    await eventually(
      "first sync",
      () => first.core.statuses.get(key)?.ready === "True",
      15_000,
      world.logs,
    );

    await world.repo.commit({
      "apps/a.yaml": null,
      "apps/b.yaml": configMap("b", { v: "2" }),
      "apps/c.yaml": deployment("c"),
    });
    const fault = world.api.faults.add({
      verb: "patch",
      resource: "deployments",
      fraction: 1,
      status: 500,
    });
    first.core.reconcileNow(key, "test", true);
    await eventually(
      "apply failed half-way",
      () => first.core.statuses.get(key)?.reason === "ReconciliationFailed",
      20_000,
      world.logs,
    );
    assert.ok(store.get("v1", "ConfigMap", "a", "default"), "a not pruned after a failed apply");
    await first.stop();
    world.api.faults.remove(fault);

    const second = await world.startAgent();
    await eventually(
      "converged after restart",
      () =>
        second.core.statuses.get(key)?.ready === "True" &&
        store.get("apps/v1", "Deployment", "c", "default") &&
        !store.get("v1", "ConfigMap", "a", "default"),
      20_000,
      world.logs,
    );
    const cm = store.get("v1", "ConfigMap", "skiff-ks-flux-system-apps", "flux-system")!;
    const inventory = JSON.parse((cm.data as Record<string, string>).inventory) as { id: string }[];
    assert.deepEqual(inventory.map((e) => e.id).sort(), [
      "default_b__ConfigMap",
      "default_c_apps_Deployment",
    ]);
  } finally {
    await world.stop();
  }
});
