// User stories of the pull loop against the API emulator and a real Git server: first sync,
// a commit synced, a removed file pruned, a broken commit that leaves the cluster untouched.
import assert from "node:assert/strict";
import {
  appsConfig,
  configMap,
  deployment,
  e2eOpts as opts,
  eventually,
  gitRepository,
  kustomization,
  seedFluxSystem,
  startWorld,
} from "./harness.ts";

Deno.test("syncs a repository, applies a new commit, prunes a removed file", opts, async () => {
  const world = await startWorld(
    {
      "apps/web.yaml": deployment("web", 2),
      "apps/settings.yaml": configMap("settings", { color: "blue" }),
    },
    (url) => appsConfig(url, "1s", "1m"),
  );
  try {
    const agent = await world.startAgent();
    const store = world.api.store;
    await eventually(
      "first sync",
      () => store.get("apps/v1", "Deployment", "web", "default"),
      15_000,
      world.logs,
    );
    assert.equal(store.get("v1", "ConfigMap", "settings", "default")?.data && true, true);
    const status = await eventually(
      "Ready",
      () => {
        const s = agent.core.statuses.get("Kustomization/flux-system/apps");
        return s?.ready === "True" ? s : undefined;
      },
      10_000,
      world.logs,
    );
    assert.match(status.revision ?? "", /^main@sha1:[0-9a-f]{40}$/);
    // The inventory lives in the cluster.
    const cm = store.get("v1", "ConfigMap", "skiff-ks-flux-system-apps", "flux-system");
    assert.ok(cm, "inventory ConfigMap exists");
    assert.match(
      String((cm.data as Record<string, string>).inventory),
      /default_web_apps_Deployment/,
    );

    // A commit that changes replicas and removes the ConfigMap file.
    const sha = await world.repo.commit({
      "apps/web.yaml": deployment("web", 3),
      "apps/settings.yaml": null,
    });
    await eventually(
      "replicas 3",
      () => {
        const d = store.get("apps/v1", "Deployment", "web", "default");
        return (d?.spec as { replicas?: number })?.replicas === 3;
      },
      15_000,
      world.logs,
    );
    await eventually(
      "settings pruned",
      () => !store.get("v1", "ConfigMap", "settings", "default"),
      10_000,
      world.logs,
    );
    await eventually(
      "revision recorded",
      () =>
        agent.core.statuses.get("Kustomization/flux-system/apps")?.revision === `main@sha1:${sha}`,
    );
  } finally {
    await world.stop();
  }
});

Deno.test(
  "a broken commit leaves the cluster untouched, reports the error, and recovers",
  opts,
  async () => {
    const world = await startWorld(
      {
        "apps/web.yaml": deployment("web", 1),
        "apps/settings.yaml": configMap("settings", { a: "1" }),
      },
      (url) => appsConfig(url, "1s", "1m"),
    );
    try {
      const agent = await world.startAgent();
      const store = world.api.store;
      const key = "Kustomization/flux-system/apps";
      await eventually(
        "first sync",
        () => agent.core.statuses.get(key)?.ready === "True",
        15_000,
        world.logs,
      );
      const version = () =>
        [
          store.get("v1", "ConfigMap", "settings", "default")?.metadata,
          store.get("v1", "ConfigMap", "skiff-ks-flux-system-apps", "flux-system")?.metadata,
        ].map((m) => (m as { resourceVersion: string }).resourceVersion).join(",") + "," +
        String(
          (store.get("apps/v1", "Deployment", "web", "default")?.metadata as { generation: number })
            .generation,
        );
      const before = version();
      await world.repo.commit({
        "apps/settings.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [broken\n",
      });
      const failed = await eventually(
        "BuildFailed",
        () => {
          const s = agent.core.statuses.get(key);
          return s?.reason === "BuildFailed" ? s : undefined;
        },
        15_000,
        world.logs,
      );
      assert.equal(failed.ready, "False");
      assert.match(failed.message, /settings\.yaml/);
      assert.ok(store.get("v1", "ConfigMap", "settings", "default"), "nothing pruned");
      assert.ok(store.get("apps/v1", "Deployment", "web", "default"));
      // No object of the Kustomization was written, nor its inventory.
      assert.equal(version(), before);

      await world.repo.commit({ "apps/settings.yaml": configMap("settings", { a: "2" }) });
      await eventually(
        "recovered",
        () => {
          const cm = store.get("v1", "ConfigMap", "settings", "default");
          return (cm?.data as Record<string, string>)?.a === "2" &&
            agent.core.statuses.get(key)?.ready === "True";
        },
        15_000,
        world.logs,
      );
    } finally {
      await world.stop();
    }
  },
);

Deno.test(
  "post-build substitution uses inline variables and a ConfigMap from the cluster",
  opts,
  async () => {
    const world = await startWorld(
      {
        "apps/web.yaml": deployment("web", 1).replace("replicas: 1", "replicas: ${REPLICAS}")
          .replace("nginx:1.25", "nginx:${TAG:=1.0}"),
      },
      (url) =>
        [
          gitRepository(url, "1h"),
          kustomization("apps", "./apps", {
            targetNamespace: "default",
            postBuild: {
              substitute: { TAG: "2.0" },
              substituteFrom: [{ kind: "ConfigMap", name: "vars" }],
            },
          }),
        ].join("---\n"),
    );
    try {
      seedFluxSystem(world.api);
      world.api.store.create({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "vars", namespace: "flux-system" },
        data: { REPLICAS: "3" },
      });
      await world.startAgent();
      const d = await eventually(
        "applied",
        () => world.api.store.get("apps/v1", "Deployment", "web", "default"),
        15_000,
        world.logs,
      );
      const spec = d.spec as {
        replicas: number;
        template: { spec: { containers: { image: string }[] } };
      };
      assert.equal(spec.replicas, 3);
      assert.equal(spec.template.spec.containers[0].image, "nginx:2.0");
    } finally {
      await world.stop();
    }
  },
);
