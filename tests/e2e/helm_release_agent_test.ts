// A HelmRelease run by the agent loop (`skiff run`'s core) from an HTTP chart repository served
// by the test: `skiff diff` shows the install without writing, the agent installs, a dependent
// release waits for it (dependsOn), a values change in the config upgrades, a new chart version
// in the repository upgrades through the HelmRepository's new revision, and removing the
// releases from the config uninstalls them.
import assert from "node:assert/strict";
import { diffCommand } from "../../agent/cli/diff.ts";
import { KubeClient, loadKubeConfig } from "../../lib/kube/mod.ts";
import { Logger } from "../../lib/log/mod.ts";
import { startChartRepository } from "../support/chart_repository.ts";
import { e2eOpts as opts, eventually, startWorld } from "./harness.ts";

const CHART_DIR = new URL("../fixtures/helmrelease/charts/webapp", import.meta.url).pathname;

function helmRepository(url: string): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: charts, namespace: flux-system}
spec: {interval: 1h, url: "${url}"}
`;
}

function helmRelease(name: string, values: Record<string, unknown>, dependsOn?: string): string {
  return `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ${name}, namespace: flux-system}
spec: ${
    JSON.stringify({
      interval: "1h",
      timeout: "10s",
      targetNamespace: "apps",
      storageNamespace: "apps",
      releaseName: name,
      install: { createNamespace: true },
      chart: {
        spec: {
          chart: "webapp",
          version: "0.x",
          sourceRef: { kind: "HelmRepository", name: "charts" },
        },
      },
      values,
      ...(dependsOn ? { dependsOn: [{ name: dependsOn }] } : {}),
    })
  }
`;
}

/** Waits until nothing has been written to the emulator for a moment. */
async function settled(stats: { writes: number }): Promise<void> {
  let last = -1;
  while (last !== stats.writes) {
    last = stats.writes;
    await new Promise((r) => setTimeout(r, 400));
  }
}

/** Runs `skiff diff` with JSON output captured; returns its exit code and report. */
async function diffJson(
  options: Parameters<typeof diffCommand>[0],
  logger: Logger,
): Promise<
  {
    code: number;
    report: { helmRelease?: string; changes: { object: string; action: string }[] }[];
  }
> {
  const captured: string[] = [];
  const write = Deno.stdout.writeSync;
  Deno.stdout.writeSync = (p: Uint8Array) => (captured.push(new TextDecoder().decode(p)), p.length);
  try {
    const code = await diffCommand(options, logger);
    return { code, report: JSON.parse(captured.join("")) };
  } finally {
    Deno.stdout.writeSync = write;
  }
}

Deno.test(
  "the agent installs, upgrades and uninstalls HelmReleases; diff shows them",
  opts,
  async () => {
    const charts = startChartRepository(CHART_DIR, "webapp");
    await charts.publish("0.1.0");
    const configOf = (message: string, withReleases = true) =>
      [
        helmRepository(charts.url),
        ...(withReleases
          ? [helmRelease("web", { message }), helmRelease("cache", { message: "c" }, "web")]
          : []),
      ].join("---\n");
    const world = await startWorld({ "README.md": "charts only\n" }, () => configOf("hello"));
    const store = world.api.store;
    const message = (name: string) =>
      (store.get("v1", "ConfigMap", `${name}-config`, "apps")?.data as Record<string, string>)
        ?.message;
    const logger = new Logger({ sink: { write: (l) => world.logs.push(l) } });
    const diffOptions = {
      config: world.configPath,
      name: "web",
      kubeconfig: world.api.kubeconfigPath,
      cacheDir: `${world.dir}/diff-cache`,
      output: "json" as const,
    };
    try {
      // Before the agent runs: diff shows what the install would create and writes nothing.
      // (A dry run needs the target namespace to exist, as with the real API server.)
      const client = new KubeClient(await loadKubeConfig({ kubeconfig: world.api.kubeconfigPath }));
      await client.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "apps" } });
      client.transport.close();
      let writes = world.api.stats.writes;
      let diff = await diffJson(diffOptions, logger);
      assert.equal(world.api.stats.writes, writes, "diff wrote nothing");
      assert.equal(diff.code, 1, JSON.stringify(diff.report));
      assert.equal(diff.report[0].helmRelease, "flux-system/web");
      const created = diff.report[0].changes.filter((c) => c.action === "created").map((c) =>
        c.object
      );
      assert.ok(created.includes("ConfigMap/apps/web-config"), created.join(", "));

      const agent = await world.startAgent();
      await eventually("web installed", () => message("web") === "hello", 20_000, world.logs);
      await eventually(
        "cache installed after web",
        () => message("cache") === "c",
        20_000,
        world.logs,
      );
      assert.ok(store.get("v1", "Secret", "sh.helm.release.v1.web.v1", "apps"));
      const status = agent.core.statuses.get("HelmRelease/flux-system/web");
      assert.equal(status?.ready, "True");
      assert.equal(status?.reason, "InstallSucceeded");

      // In sync: diff reports nothing to change. (The agent settles first: its own writes,
      // such as Events, would otherwise be counted against the diff.)
      await settled(world.api.stats);
      writes = world.api.stats.writes;
      diff = await diffJson(diffOptions, logger);
      assert.equal(world.api.stats.writes, writes, "diff wrote nothing");
      assert.deepEqual(
        diff.report[0].changes.filter((c) => c.action !== "unchanged"),
        [],
        "installed release is in sync",
      );
      assert.equal(diff.code, 0);

      // A values change in the config: diff shows it, then the agent upgrades.
      await Deno.writeTextFile(world.configPath, configOf("changed"));
      await settled(world.api.stats);
      writes = world.api.stats.writes;
      diff = await diffJson(diffOptions, logger);
      assert.equal(world.api.stats.writes, writes, "diff wrote nothing");
      assert.equal(diff.code, 1);
      assert.deepEqual(
        diff.report[0].changes.filter((c) => c.action === "configured").map((c) => c.object),
        ["ConfigMap/apps/web-config"],
      );
      await agent.reload();
      await eventually("web upgraded", () => message("web") === "changed", 20_000, world.logs);
      assert.ok(store.get("v1", "Secret", "sh.helm.release.v1.web.v2", "apps"));
      await eventually(
        "upgrade recorded",
        () => agent.core.statuses.get("HelmRelease/flux-system/web")?.reason === "UpgradeSucceeded",
        10_000,
        world.logs,
      );

      // A new chart version in the repository: the HelmRepository's new index revision wakes
      // the releases charted from it (here on demand, as a webhook would; not their interval).
      await charts.publish("0.2.0");
      assert.ok(agent.core.reconcileNow("HelmRepository/flux-system/charts", "test"));
      const chartVersion = (name: string) =>
        (store.get("v1", "ConfigMap", `${name}-config`, "apps")?.data as Record<string, string>)
          ?.chartVersion;
      await eventually("web at 0.2.0", () => chartVersion("web") === "0.2.0", 20_000, world.logs);
      await eventually("cache at 0.2.0", () => chartVersion("cache") === "0.2.0", 20_000);
      assert.equal(
        agent.core.statuses.get("HelmRepository/flux-system/charts")?.ready,
        "True",
      );

      // Removed from the config: uninstalled, release storage included.
      await Deno.writeTextFile(world.configPath, configOf("changed", false));
      await agent.reload();
      assert.equal(message("web"), undefined);
      assert.equal(message("cache"), undefined);
      assert.equal(store.get("v1", "Secret", "sh.helm.release.v1.web.v2", "apps"), undefined);
    } finally {
      await world.stop();
      await charts.stop();
    }
  },
);
