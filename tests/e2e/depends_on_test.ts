// dependsOn across three Kustomizations: each waits for the one before it to be Ready, and a
// failing root is explained down the chain.
import assert from "node:assert/strict";
import {
  configMap,
  deployment,
  e2eOpts as opts,
  eventually,
  gitRepository,
  kustomization,
  startWorld,
} from "./harness.ts";

Deno.test("applies three Kustomizations in dependsOn order", opts, async () => {
  const world = await startWorld(
    {
      "infra/ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n",
      "config/settings.yaml": configMap("settings", { tier: "gold" }),
      "apps/web.yaml": deployment("web"),
    },
    (url) =>
      [
        gitRepository(url),
        kustomization("apps", "./apps", {
          targetNamespace: "shop",
          dependsOn: [{ name: "config" }],
        }),
        kustomization("config", "./config", {
          targetNamespace: "shop",
          dependsOn: [{ name: "infra" }],
        }),
        kustomization("infra", "./infra", { wait: true }),
      ].join("---\n"),
  );
  try {
    const agent = await world.startAgent();
    const statuses = agent.core.statuses;
    await eventually(
      "all ready",
      () =>
        ["infra", "config", "apps"].every((n) =>
          statuses.get(`Kustomization/flux-system/${n}`)?.ready === "True"
        ),
      20_000,
      world.logs,
    );
    const applied = (n: string) =>
      Date.parse(statuses.get(`Kustomization/flux-system/${n}`)!.lastAppliedTime!);
    assert.ok(applied("infra") <= applied("config"), "infra before config");
    assert.ok(applied("config") <= applied("apps"), "config before apps");
    assert.ok(world.api.store.get("apps/v1", "Deployment", "web", "shop"));
  } finally {
    await world.stop();
  }
});

Deno.test("a failed dependency is explained to its root", opts, async () => {
  const world = await startWorld(
    {
      "infra/bad.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [x\n",
      "apps/web.yaml": deployment("web"),
    },
    (url) =>
      [
        gitRepository(url),
        kustomization("apps", "./apps", {
          targetNamespace: "default",
          dependsOn: [{ name: "config" }],
        }),
        kustomization("config", "./apps", {
          targetNamespace: "default",
          dependsOn: [{ name: "infra" }],
        }),
        kustomization("infra", "./infra"),
      ].join("---\n"),
  );
  try {
    const agent = await world.startAgent();
    await eventually(
      "infra failed",
      () => agent.core.statuses.get("Kustomization/flux-system/infra")?.reason === "BuildFailed",
      15_000,
      world.logs,
    );
    const entry = await eventually(
      "apps waiting",
      () =>
        agent.server!.statusEntries().find((e) =>
          e.name === "apps" && e.reason === "DependencyNotReady"
        ),
      15_000,
      world.logs,
    );
    assert.match(
      entry.message,
      /^apps waits for config, which waits for infra, which failed: kustomize build failed: .*bad\.yaml/,
    );
    assert.equal(world.api.store.get("apps/v1", "Deployment", "web", "default"), undefined);
  } finally {
    await world.stop();
  }
});
