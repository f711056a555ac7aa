// Failure counters outlive the agent: an install that spent its retry budget under one agent is
// not attempted again (neither as an install nor as an upgrade) by the next agent started on the
// same cluster, because the counts live in a ConfigMap, as Flux keeps them in status.
import assert from "node:assert/strict";
import { startChartRepository } from "../../support/chart_repository.ts";
import { configOf, e2eOpts, eventually, startWorld } from "../../e2e/harness.ts";

const CHART_DIR = new URL("../../fixtures/helmrelease/charts/webapp", import.meta.url).pathname;
const KEY = "HelmRelease/flux-system/web";

function config(repoUrl: string): string {
  return configOf(
    `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: charts, namespace: flux-system}
spec: {interval: 1h, url: "${repoUrl}"}
`,
    `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: web, namespace: flux-system}
spec: ${
      JSON.stringify({
        interval: "1s",
        timeout: "5s",
        targetNamespace: "apps",
        storageNamespace: "apps",
        releaseName: "web",
        install: { createNamespace: true, remediation: { retries: 1 } },
        chart: {
          spec: { chart: "webapp", sourceRef: { kind: "HelmRepository", name: "charts" } },
        },
        // The pre-install hook Job fails every time.
        values: { hooks: { preFail: true } },
      })
    }
`,
  );
}

Deno.test(
  "install failure counts survive an agent restart: the spent budget is not granted again",
  e2eOpts,
  async () => {
    const charts = startChartRepository(CHART_DIR, "webapp");
    await charts.publish("0.1.0");
    const world = await startWorld({ "README.md": "charts only\n" }, () => config(charts.url));
    const store = world.api.store;
    const stored = () =>
      store.get("v1", "ConfigMap", "skiff-hr-flux-system-web", "flux-system")?.data as
        | Record<string, string>
        | undefined;
    const revisions = () =>
      store.list("v1", "Secret", "apps").filter((s) =>
        (s.metadata as { name: string }).name.startsWith("sh.helm.release.v1.web.")
      ).map((s) => (s.metadata as { name: string }).name).sort();
    try {
      const first = await world.startAgent();
      await eventually(
        "install retries exhausted under the first agent",
        () => /install retries exhausted/.test(first.core.statuses.get(KEY)?.message ?? ""),
        30_000,
        world.logs,
      );
      await first.stop();
      assert.equal(stored()?.installFailures, "2", JSON.stringify(stored()));
      assert.equal(stored()?.lastAttemptedReleaseAction, "install");
      assert.equal(stored()?.lastAttemptedChartVersion, "0.1.0");
      assert.match(stored()?.lastAttemptedConfigDigest ?? "", /^sha256:/);
      // The first failure was remediated (uninstalled); the second was left failed.
      assert.deepEqual(revisions(), ["sh.helm.release.v1.web.v1"]);

      const second = await world.startAgent();
      await eventually(
        "the second agent reports the spent budget",
        () => /install retries exhausted/.test(second.core.statuses.get(KEY)?.message ?? ""),
        30_000,
        world.logs,
      );
      // A few more intervals: still nothing attempted (an upgrade would write revision 2).
      await new Promise((r) => setTimeout(r, 2_500));
      assert.equal(second.core.statuses.get(KEY)?.reason, "InstallFailed");
      assert.deepEqual(revisions(), ["sh.helm.release.v1.web.v1"]);
      assert.equal(stored()?.installFailures, "2");
    } finally {
      await world.stop();
      await charts.stop();
    }
  },
);
