// HelmRelease fields as helm-controller honours them, reconciled against the API emulator and a
// chart repository served by the test: commonMetadata and post-renderer changes upgrade, a chart
// with another name is reinstalled (or upgraded in place), install.replace reuses the name of a
// failed install kept in history, the resetAt annotation restarts the retry budget, and the
// stored state is removed with the release.
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfigText } from "../../../agent/config/mod.ts";
import {
  finalizeHelmRelease,
  reconcileHelmRelease,
} from "../../../agent/reconcile/helm_release.ts";
import type { Outcome } from "../../../agent/reconcile/types.ts";
import { StatusStore } from "../../../agent/status/mod.ts";
import { ReleaseStorage } from "../../../lib/helm/release/mod.ts";
import { Logger } from "../../../lib/log/mod.ts";
import { type Cluster, startCluster } from "../../lib/kube/emulator_client.ts";
import { type ChartRepository, startChartRepository } from "../../support/chart_repository.ts";
import { reconcileEnv } from "./reconcile_env.ts";

const e2e = { sanitizeResources: false, sanitizeOps: false };
const CHART_DIR = new URL("../../fixtures/helmrelease/charts/webapp", import.meta.url).pathname;
const run = { reason: "test", force: false };

interface Story {
  cluster: Cluster;
  repo: ChartRepository;
  storage: ReleaseStorage;
  logs: string[];
  /** Loads the config with this HelmRelease spec (YAML, indented under spec) and reconciles. */
  reconcile(spec: string, metadata?: string): Promise<Outcome>;
  finalize(): Promise<void>;
  /** A new agent environment on the same cluster: what skiff keeps in memory is gone. */
  restart(): void;
  extraRepo?: ChartRepository;
}

function configFor(repoUrl: string, extraUrl: string, spec: string, metadata: string): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: charts, namespace: flux-system}
spec: {url: "${repoUrl}"}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: renamed, namespace: flux-system}
spec: {url: "${extraUrl}"}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: flux-system
${metadata}spec:
  interval: 1m
  timeout: 5s
  targetNamespace: apps
  storageNamespace: apps
${spec.includes("  releaseName:") ? "" : "  releaseName: web\n"}${spec}`;
}

const chartFrom = (source: string, chart = "webapp") =>
  `  chart:\n    spec:\n      chart: ${chart}\n      sourceRef: {kind: HelmRepository, name: ${source}}\n`;

/** A copy of the webapp chart whose Chart.yaml names it `name`. */
async function renamedChart(name: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "skiff-chart-" });
  const copy = async (from: string, to: string) => {
    await Deno.mkdir(to, { recursive: true });
    for await (const e of Deno.readDir(from)) {
      if (e.isDirectory) await copy(join(from, e.name), join(to, e.name));
      else await Deno.copyFile(join(from, e.name), join(to, e.name));
    }
  };
  await copy(CHART_DIR, dir);
  const chartYaml = join(dir, "Chart.yaml");
  const text = await Deno.readTextFile(chartYaml);
  await Deno.writeTextFile(chartYaml, text.replace(/^name: .*$/m, `name: ${name}`));
  return dir;
}

async function withStory(body: (s: Story) => Promise<void>): Promise<void> {
  const cluster = await startCluster({ rolloutDelayMs: 20, tls: false });
  const repo = startChartRepository(CHART_DIR, "webapp");
  const renamedDir = await renamedChart("webapp2");
  const extraRepo = startChartRepository(renamedDir, "webapp2");
  const logs: string[] = [];
  try {
    await cluster.client.create({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "apps" },
    });
    await repo.publish("0.1.0");
    await extraRepo.publish("0.1.0");
    let env = reconcileEnv(
      loadConfigText(configFor(repo.url, extraRepo.url, chartFrom("charts"), ""), "x"),
      cluster.client,
      "/nonexistent",
      { logger: new Logger({ level: "debug", sink: { write: (l) => logs.push(l) } }) },
    );
    const hr = () => env.config.get("HelmRelease", "flux-system", "web")!;
    await body({
      cluster,
      repo,
      extraRepo,
      storage: new ReleaseStorage(cluster.client, "apps"),
      logs,
      reconcile: async (spec, metadata = "") => {
        env.config = loadConfigText(configFor(repo.url, extraRepo.url, spec, metadata), "x.yaml");
        return await reconcileHelmRelease(hr(), env, run);
      },
      finalize: () => finalizeHelmRelease(hr(), env),
      restart: () => {
        env = { ...env, statuses: new StatusStore() };
      },
    });
  } finally {
    await repo.stop();
    await extraRepo.stop();
    await cluster.stop();
    await Deno.remove(renamedDir, { recursive: true });
  }
}

const statuses = async (s: Story) =>
  (await s.storage.history("web")).map((r) =>
    `${r.version}:${r.chart?.metadata?.name}:${r.info.status}`
  ).join(" ");

function labelsOf(s: Story, kind: string, apiVersion: string, name: string) {
  const o = s.cluster.server.store.get(apiVersion, kind, name, "apps");
  return (o?.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {};
}

function stored(s: Story): Record<string, string> | undefined {
  return s.cluster.server.store.get("v1", "ConfigMap", "skiff-hr-flux-system-web", "flux-system")
    ?.data as Record<string, string> | undefined;
}

Deno.test(
  "commonMetadata labels every object's metadata; a change to it or to post-renderers upgrades",
  e2e,
  () =>
    withStory(async (s) => {
      const common = (team: string) => `  commonMetadata:\n    labels: {team: ${team}}\n`;
      let out = await s.reconcile(chartFrom("charts") + common("a"));
      assert.equal(out.reason, "InstallSucceeded", out.message);
      assert.equal(labelsOf(s, "ConfigMap", "v1", "web-config").team, "a");
      assert.equal(labelsOf(s, "Deployment", "apps/v1", "web").team, "a");
      const deployment = s.cluster.server.store.get("apps/v1", "Deployment", "web", "apps")!;
      assert.deepEqual(
        (deployment.spec as { selector: unknown }).selector,
        { matchLabels: { app: "web" } },
        "selectors are left alone",
      );
      assert.match(stored(s)?.observedPostRenderersDigest ?? "", /^sha256:/);

      out = await s.reconcile(chartFrom("charts") + common("a"));
      assert.equal(out.applied, false, out.message);
      // The first run in sync stores the new Ready message; the next ones write nothing.
      const writes = s.cluster.server.stats.writes;
      out = await s.reconcile(chartFrom("charts") + common("a"));
      assert.equal(s.cluster.server.stats.writes, writes, "in sync: nothing written");
      assert.equal(await statuses(s), "1:webapp:deployed");

      out = await s.reconcile(chartFrom("charts") + common("b"));
      assert.equal(out.reason, "UpgradeSucceeded", out.message);
      assert.equal(labelsOf(s, "ConfigMap", "v1", "web-config").team, "b");

      const patch = "  postRenderers:\n    - kustomize:\n        images:\n" +
        "          - {name: nginx, newTag: '1.28'}\n";
      out = await s.reconcile(chartFrom("charts") + common("b") + patch);
      assert.equal(out.reason, "UpgradeSucceeded", out.message);
      assert.equal(await statuses(s), "1:webapp:superseded 2:webapp:superseded 3:webapp:deployed");
    }),
);

Deno.test(
  "a chart with another name is reinstalled by default, upgraded with InPlaceUpdate",
  e2e,
  () =>
    withStory(async (s) => {
      let out = await s.reconcile(chartFrom("charts"));
      assert.equal(out.reason, "InstallSucceeded", out.message);
      out = await s.reconcile(chartFrom("renamed", "webapp2"));
      assert.equal(out.reason, "InstallSucceeded", out.message);
      assert.equal(await statuses(s), "1:webapp2:deployed");
      assert.ok(s.logs.some((l) => l.includes("chart changed from webapp to webapp2")));

      out = await s.reconcile(
        chartFrom("charts") + "  upgrade:\n    chartNameChangeStrategy: InPlaceUpdate\n",
      );
      assert.equal(out.reason, "UpgradeSucceeded", out.message);
      assert.equal(await statuses(s), "1:webapp2:superseded 2:webapp:deployed");
    }),
);

Deno.test(
  "install.replace reinstalls over a failed install kept in history; without it the name is in use",
  e2e,
  () =>
    withStory(async (s) => {
      const spec = (preFail: boolean, replace: boolean) =>
        chartFrom("charts") +
        `  install:\n    replace: ${replace}\n    remediation: {retries: 1}\n` +
        `  uninstall: {keepHistory: true}\n  values:\n    hooks: {preFail: ${preFail}}\n`;
      let out = await s.reconcile(spec(true, false));
      assert.equal(out.reason, "InstallFailed", out.message);
      assert.match(out.message, /uninstalled/);
      assert.equal(await statuses(s), "1:webapp:uninstalled");

      // Fixed values: a new attempt, but Helm refuses the name without replace.
      out = await s.reconcile(spec(false, false));
      assert.equal(out.reason, "InstallFailed", out.message);
      assert.match(out.message, /cannot re-use a name that is still in use/);

      out = await s.reconcile(spec(false, true));
      assert.equal(out.reason, "InstallSucceeded", out.message);
      assert.match(await statuses(s), /1:webapp:superseded 2:webapp:deployed$/);
    }),
);

Deno.test(
  "the resetAt annotation restarts a spent retry budget; finalize removes the stored state",
  e2e,
  () =>
    withStory(async (s) => {
      const spec = chartFrom("charts") + "  values:\n    hooks: {preFail: true}\n";
      let out = await s.reconcile(spec);
      assert.equal(out.reason, "InstallFailed", out.message);
      out = await s.reconcile(spec);
      assert.match(out.message, /install retries exhausted \(0\)/);
      assert.equal(stored(s)?.installFailures, "1");
      assert.equal(stored(s)?.failures, "2");

      const reset = "  annotations:\n    reconcile.fluxcd.io/resetAt: 'one'\n";
      out = await s.reconcile(spec, reset);
      assert.doesNotMatch(out.message, /retries exhausted/);
      assert.equal(out.reason, "UpgradeFailed", out.message);
      assert.equal(stored(s)?.lastHandledResetAt, "one");
      // The same value again is not a new request.
      out = await s.reconcile(spec, reset);
      assert.match(out.message, /retries exhausted/);

      await s.finalize();
      assert.equal(stored(s), undefined);
      assert.equal(await statuses(s), "");
    }),
);

Deno.test(
  "objects annotated helm.toolkit.fluxcd.io/driftDetection: disabled are left out of drift",
  e2e,
  () =>
    withStory(async (s) => {
      const spec = chartFrom("charts") + `  driftDetection: {mode: enabled}
  postRenderers:
    - kustomize:
        patches:
          - target: {kind: ConfigMap, name: web-config}
            patch: |
              - op: add
                path: /metadata/annotations
                value: {helm.toolkit.fluxcd.io/driftDetection: disabled}
`;
      let out = await s.reconcile(spec);
      assert.equal(out.reason, "InstallSucceeded", out.message);
      const edit = async (kind: string, apiVersion: string, name: string, body: object) =>
        await s.cluster.client.apply(
          { apiVersion, kind, metadata: { name, namespace: "apps" }, ...body },
          { fieldManager: "kubectl-edit", force: true },
        );
      await edit("ConfigMap", "v1", "web-config", { data: { message: "edited" } });
      out = await s.reconcile(spec);
      assert.doesNotMatch(out.message, /drift/, out.message);
      const data = () =>
        s.cluster.server.store.get("v1", "ConfigMap", "web-config", "apps")!.data as Record<
          string,
          string
        >;
      assert.equal(data().message, "edited", "opted out: left as edited");

      await edit("Deployment", "apps/v1", "web", { spec: { replicas: 4 } });
      out = await s.reconcile(spec);
      assert.match(out.message, /corrected drift: Deployment.apps\/apps\/web changed/);
      assert.equal(data().message, "edited");
    }),
);

Deno.test(
  "a new releaseName uninstalls the release made under the old one, even after a restart",
  e2e,
  () =>
    withStory(async (s) => {
      let out = await s.reconcile(chartFrom("charts"));
      assert.equal(out.reason, "InstallSucceeded", out.message);
      assert.equal(stored(s)?.releaseName, "web");
      assert.equal(stored(s)?.storageNamespace, "apps");
      s.restart();
      out = await s.reconcile(chartFrom("charts") + "  releaseName: web2\n");
      assert.equal(out.reason, "InstallSucceeded", out.message);
      assert.equal(await statuses(s), "", "the old release is gone");
      assert.equal(s.cluster.server.store.get("v1", "ConfigMap", "web-config", "apps"), undefined);
      assert.ok(s.cluster.server.store.get("v1", "ConfigMap", "web2-config", "apps"));
      assert.equal(stored(s)?.releaseName, "web2");
      assert.ok(s.logs.some((l) => l.includes("release moved from apps/web")));
    }),
);

Deno.test(
  "the forceAt annotation makes one upgrade of a release that is in sync",
  e2e,
  () =>
    withStory(async (s) => {
      let out = await s.reconcile(chartFrom("charts"));
      assert.equal(out.reason, "InstallSucceeded", out.message);
      const force = "  annotations:\n    reconcile.fluxcd.io/forceAt: '2026-01-01'\n";
      out = await s.reconcile(chartFrom("charts"), force);
      assert.equal(out.reason, "UpgradeSucceeded", out.message);
      assert.equal(stored(s)?.lastHandledForceAt, "2026-01-01");
      s.restart();
      out = await s.reconcile(chartFrom("charts"), force);
      assert.equal(out.applied, false, "handled once, also after a restart");
      assert.equal(await statuses(s), "1:webapp:superseded 2:webapp:deployed");
    }),
);

Deno.test(
  "RetryOnFailure leaves a failed install in place and retries it as an upgrade, unbudgeted",
  e2e,
  () =>
    withStory(async (s) => {
      const spec = (preFail: boolean) =>
        chartFrom("charts") +
        "  install:\n    strategy: {name: RetryOnFailure, retryInterval: 2s}\n" +
        "  upgrade:\n    strategy: {name: RetryOnFailure}\n" +
        `  values:\n    hooks: {preFail: ${preFail}}\n`;
      let out = await s.reconcile(spec(true));
      assert.equal(out.reason, "InstallFailed", out.message);
      assert.match(out.message, /retrying in 2s \(RetryOnFailure\)/);
      assert.equal(out.requeueAfterMs, 2_000);
      assert.equal(await statuses(s), "1:webapp:failed", "not uninstalled");
      // Retries 0 would be spent by now; RetryOnFailure has no budget. A failed install is
      // retried as an upgrade, under the upgrade's strategy (default interval 5m).
      for (let i = 0; i < 2; i++) {
        out = await s.reconcile(spec(true));
        assert.equal(out.reason, "UpgradeFailed", out.message);
        assert.equal(out.requeueAfterMs, 300_000);
      }
      assert.equal(await statuses(s), "1:webapp:failed 2:webapp:failed 3:webapp:failed");
      out = await s.reconcile(spec(false));
      assert.equal(out.reason, "UpgradeSucceeded", out.message);
    }),
);
