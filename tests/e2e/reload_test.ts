// Reloading the config: an added Kustomization starts, a removed one stops and (prune: true,
// deletionPolicy MirrorPrune, as in Flux) deletes what it applied; an invalid file is refused
// and the running config kept.
import assert from "node:assert/strict";
import {
  configMap,
  e2eOpts as opts,
  eventually,
  gitRepository,
  kustomization,
  startWorld,
} from "./harness.ts";

Deno.test("reload starts added Kustomizations and prunes removed ones", opts, async () => {
  const world = await startWorld(
    { "one/a.yaml": configMap("a", { v: "1" }), "two/b.yaml": configMap("b", { v: "1" }) },
    (url) =>
      [
        gitRepository(url, "1h"),
        kustomization("one", "./one", { targetNamespace: "default" }, "1h"),
      ].join("---\n"),
  );
  try {
    const agent = await world.startAgent();
    const store = world.api.store;
    await eventually(
      "one synced",
      () => store.get("v1", "ConfigMap", "a", "default"),
      15_000,
      world.logs,
    );

    await Deno.writeTextFile(world.configPath, "kind: [broken\n");
    await assert.rejects(() => agent.reload());
    assert.equal(agent.core.owned().size, 2, "the running config is kept");

    await Deno.writeTextFile(
      world.configPath,
      [
        gitRepository(world.repoUrl, "1h"),
        kustomization("two", "./two", { targetNamespace: "default" }, "1h"),
      ].join("---\n"),
    );
    await agent.reload();
    await eventually(
      "two synced",
      () => store.get("v1", "ConfigMap", "b", "default"),
      15_000,
      world.logs,
    );
    await eventually(
      "one pruned",
      () => !store.get("v1", "ConfigMap", "a", "default"),
      15_000,
      world.logs,
    );
    assert.equal(
      store.get("v1", "ConfigMap", "skiff-ks-flux-system-one", "flux-system"),
      undefined,
      "its inventory is gone",
    );
    assert.equal(agent.core.statuses.get("Kustomization/flux-system/one"), undefined);
  } finally {
    await world.stop();
  }
});
