// Drift: a manual edit or deletion of an applied object is reverted within seconds, and a no-op
// reconcile of an unchanged Kustomization costs (almost) no API requests.
import assert from "node:assert/strict";
import {
  adminClient,
  appsConfig,
  configMap,
  deployment,
  e2eOpts as opts,
  eventually,
  gitRepository,
  kustomization,
  startWorld,
  type World,
} from "./harness.ts";

/**
 * Waits until the agent's drift watches of `kinds` kinds are streaming: a watch request reaches
 * the API server only after its first list, so an edit from then on is seen as an event (an edit
 * before that list would be taken as the starting state, which a fixed sleep cannot rule out).
 */
async function driftWatchesOpen(world: World, kinds: number): Promise<void> {
  await eventually(
    "drift watches open",
    () => (world.api.stats.byVerb.watch ?? 0) >= kinds,
    15_000,
    world.logs,
  );
}

Deno.test("a manual edit and a deletion are reverted within seconds", opts, async () => {
  const world = await startWorld(
    {
      "apps/web.yaml": deployment("web", 2),
      "apps/settings.yaml": configMap("settings", { a: "1" }),
    },
    (url) => appsConfig(url, "1h"),
  );
  const admin = await adminClient(world.api);
  try {
    const agent = await world.startAgent();
    const key = "Kustomization/flux-system/apps";
    const store = world.api.store;
    await eventually(
      "first sync",
      () => agent.core.statuses.get(key)?.ready === "True",
      15_000,
      world.logs,
    );
    // Let the watches (Deployment, ConfigMap) start before editing.
    await driftWatchesOpen(world, 2);

    await admin.patch(
      { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "default" },
      { spec: { replicas: 7 } },
      "merge",
      { fieldManager: "kubectl-edit" },
    );
    const started = performance.now();
    await eventually(
      "edit reverted",
      () =>
        (store.get("apps/v1", "Deployment", "web", "default")?.spec as { replicas: number })
          .replicas === 2,
      5_000,
      world.logs,
    );
    console.log(`manual edit reverted in ${Math.round(performance.now() - started)} ms`);

    await admin.delete({
      apiVersion: "v1",
      kind: "ConfigMap",
      name: "settings",
      namespace: "default",
    });
    await eventually(
      "deletion reverted",
      () => store.get("v1", "ConfigMap", "settings", "default"),
      5_000,
      world.logs,
    );

    // An interval run with nothing changed: render, compare digests, no dry-run.
    await new Promise((r) => setTimeout(r, 1_200));
    // The run that reverted the deletion may still be finishing on a slow machine.
    await agent.core.scheduler.idle(key);
    const before = agent.core.client.transport.stats.requests;
    const runs = agent.core.statuses.get(key)!.history.length;
    agent.core.scheduler.trigger(key, "interval");
    await eventually(
      "no-op run",
      () =>
        agent.core.statuses.get(key)!.history.length > runs ||
        agent.core.statuses.get(key)!.history.length === 10,
    );
    const used = agent.core.client.transport.stats.requests - before;
    console.log(`API requests of a no-op reconcile: ${used}`);
    assert.ok(used <= 3, `a no-op reconcile used ${used} requests`);
  } finally {
    admin.transport.close();
    await world.stop();
  }
});

Deno.test("with skiff.dev/drift: warn a manual edit is reported, not reverted", opts, async () => {
  const world = await startWorld(
    { "apps/settings.yaml": configMap("settings", { a: "1" }) },
    (url) =>
      [
        gitRepository(url, "1h"),
        kustomization("apps", "./apps", { targetNamespace: "default" }, "1h")
          .replace(
            "metadata: {name: apps, namespace: flux-system}",
            "metadata: {name: apps, namespace: flux-system, annotations: {skiff.dev/drift: warn}}",
          ),
      ].join("---\n"),
  );
  const admin = await adminClient(world.api);
  try {
    const agent = await world.startAgent();
    await eventually(
      "first sync",
      () => agent.core.statuses.get("Kustomization/flux-system/apps")?.ready === "True",
      15_000,
      world.logs,
    );
    await driftWatchesOpen(world, 1);
    await admin.patch(
      { apiVersion: "v1", kind: "ConfigMap", name: "settings", namespace: "default" },
      { data: { a: "manual" } },
      "merge",
      { fieldManager: "kubectl-edit" },
    );
    await eventually(
      "drift reported",
      () =>
        world.logs.some((l) =>
          l.includes("drift: ConfigMap default/settings was changed outside Git")
        ),
      5_000,
      world.logs,
    );
    await new Promise((r) => setTimeout(r, 700));
    const data = world.api.store.get("v1", "ConfigMap", "settings", "default")?.data as Record<
      string,
      string
    >;
    assert.equal(data.a, "manual", "not reverted");
  } finally {
    admin.transport.close();
    await world.stop();
  }
});
