// Helm's release actions against the API emulator: install, upgrade (values, chart change,
// removed objects), hooks by weight with delete policies, failing hooks and deployments,
// rollback, tests, CRD policy and uninstall, with the history checked as Helm stores it.
import assert from "node:assert/strict";
import {
  type ActionEnv,
  HelmActionError,
  install,
  rollback,
  test as helmTest,
  uninstall,
  upgrade,
} from "../../../../lib/helm/actions/mod.ts";
import { ReleaseStorage } from "../../../../lib/helm/release/mod.ts";
import { type Chart, loadChart } from "../../../../lib/helm/mod.ts";
import { ApplyEngine, type KubeObject } from "../../../../lib/kube/mod.ts";
import { parseOne } from "../../../../lib/yaml/mod.ts";
import { type Cluster, withCluster } from "../../kube/emulator_client.ts";

const e2e = { sanitizeResources: false, sanitizeOps: false };
// Plain HTTP: these tests are about Helm semantics, not the transport (tested in lib/kube).
const PLAIN = { tls: false };
const CHART = new URL("../../../fixtures/helmrelease/charts/webapp", import.meta.url).pathname;
const NS = "apps";

function envFor(c: Cluster): ActionEnv {
  return {
    client: c.client,
    engine: new ApplyEngine(c.client),
    storage: new ReleaseStorage(c.client, NS),
  };
}

async function ensureNs(c: Cluster) {
  await c.client.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
}

/** The namespace created, an action env on the cluster, and the webapp chart loaded. */
async function prepare(c: Cluster): Promise<{ env: ActionEnv; chart: Chart }> {
  await ensureNs(c);
  return { env: envFor(c), chart: await loadChart(CHART) };
}

const base = { releaseName: "web", namespace: NS, timeoutMs: 10_000 };

Deno.test(
  "install runs pre-install hooks by weight, applies, waits and records revision 1 deployed",
  e2e,
  withCluster(async (c) => {
    const { env, chart } = await prepare(c);
    const rel = await install(env, { ...base, chart, values: { message: "hi" } });
    assert.equal(rel.version, 1);
    assert.equal(rel.info.status, "deployed");
    assert.equal(rel.info.description, "Install complete");
    assert.match(rel.info.notes ?? "", /webapp 0.1.0 is installed as web/);
    const cm = c.server.store.get("v1", "ConfigMap", "web-config", NS)!;
    assert.equal((cm.data as Record<string, string>).message, "hi");
    const meta = cm.metadata as {
      labels: Record<string, string>;
      annotations: Record<string, string>;
    };
    assert.equal(meta.labels["app.kubernetes.io/managed-by"], "Helm");
    assert.equal(meta.annotations["meta.helm.sh/release-name"], "web");
    assert.equal(meta.annotations["meta.helm.sh/release-namespace"], NS);
    // The CRD from crds/ was created (policy Create by default).
    assert.ok(
      c.server.store.get(
        "apiextensions.k8s.io/v1",
        "CustomResourceDefinition",
        "widgets.example.com",
      ),
    );
    // hook-succeeded removed the marker, before-hook-creation kept the Job.
    assert.equal(c.server.store.get("v1", "ConfigMap", "web-hook-marker", NS), undefined);
    assert.ok(c.server.store.get("batch/v1", "Job", "web-migrate", NS));
    const hooks = Object.fromEntries((rel.hooks ?? []).map((h) => [h.name, h.last_run]));
    assert.equal(hooks["web-hook-marker"].phase, "Succeeded");
    assert.equal(hooks["web-migrate"].phase, "Succeeded");
    // Weight -5 ran before weight 5.
    assert.ok(hooks["web-hook-marker"].started_at! <= hooks["web-migrate"].started_at!);
    const stored = await env.storage.history("web");
    assert.deepEqual(stored.map((r) => [r.version, r.info.status]), [[1, "deployed"]]);
    const secret = c.server.store.get("v1", "Secret", "sh.helm.release.v1.web.v1", NS)!;
    assert.equal(secret.type, "helm.sh/release.v1");
    const labels = (secret.metadata as { labels: Record<string, string> }).labels;
    assert.equal(labels.owner, "helm");
    assert.equal(labels.status, "deployed");
    assert.equal(labels.version, "1");
    assert.equal(labels.name, "web");
    assert.match(labels.createdAt, /^\d+$/);

    await assert.rejects(
      () => install(env, { ...base, chart, values: {} }),
      (e) => e instanceof HelmActionError && e.reason === "ReleaseInUse",
    );
  }, PLAIN),
);

Deno.test(
  "upgrade supersedes the old revision and deletes objects that left the chart",
  e2e,
  withCluster(async (c) => {
    const { env, chart } = await prepare(c);
    await install(env, { ...base, chart, values: { extra: { enabled: true } } });
    assert.ok(c.server.store.get("v1", "ConfigMap", "web-extra", NS));
    const rel = await upgrade(env, { ...base, chart, values: { message: "v2" } });
    assert.equal(rel.version, 2);
    assert.equal(rel.info.description, "Upgrade complete");
    assert.equal(c.server.store.get("v1", "ConfigMap", "web-extra", NS), undefined);
    const cm = c.server.store.get("v1", "ConfigMap", "web-config", NS)!;
    assert.deepEqual(cm.data, { message: "v2", chartVersion: "0.1.0", revision: "2" });
    const history = await env.storage.history("web");
    assert.deepEqual(history.map((r) => [r.version, r.info.status]), [
      [1, "superseded"],
      [2, "deployed"],
    ]);
    assert.deepEqual(history[1].config, { message: "v2" });
  }, PLAIN),
);

Deno.test(
  "a failing pre-upgrade hook fails the revision; rollback re-applies the previous manifest",
  e2e,
  withCluster(async (c) => {
    const { env, chart } = await prepare(c);
    await install(env, { ...base, chart, values: { message: "one" } });
    await assert.rejects(
      () => upgrade(env, { ...base, chart, values: { message: "two", hooks: { preFail: true } } }),
      (e) =>
        e instanceof HelmActionError && e.reason === "UpgradeFailed" &&
        /pre-upgrade hook web-migrate failed: BackoffLimitExceeded/.test(e.message),
    );
    let history = await env.storage.history("web");
    assert.deepEqual(history.map((r) => [r.version, r.info.status]), [[1, "deployed"], [
      2,
      "failed",
    ]]);
    assert.match(history[1].info.description ?? "", /^Upgrade "web" failed: pre-upgrade hook/);
    // The hook that succeeded before the failing one is removed (hook-succeeded), as Helm does.
    assert.equal(c.server.store.get("v1", "ConfigMap", "web-hook-marker", NS), undefined);
    const rel = await rollback(env, base);
    assert.equal(rel.version, 3);
    assert.equal(rel.info.description, "Rollback to 1");
    history = await env.storage.history("web");
    assert.deepEqual(history.map((r) => [r.version, r.info.status]), [
      [1, "superseded"],
      [2, "failed"],
      [3, "deployed"],
    ]);
    assert.deepEqual(history[2].config, { message: "one" });
  }, PLAIN),
);

Deno.test(
  "a Deployment that never gets ready fails the upgrade at the timeout",
  e2e,
  withCluster(async (c) => {
    const { env, chart } = await prepare(c);
    await install(env, { ...base, chart, values: {} });
    await assert.rejects(
      () =>
        upgrade(env, { ...base, timeoutMs: 1500, chart, values: { deployment: { fail: true } } }),
      (e) => e instanceof HelmActionError && e.reason === "UpgradeFailed",
    );
    const last = (await env.storage.history("web")).at(-1)!;
    assert.equal(last.info.status, "failed");
  }, { rolloutDelayMs: 20, tls: false }),
);

Deno.test(
  "tests run test hooks and record their phase in the release",
  e2e,
  withCluster(async (c) => {
    const { env, chart } = await prepare(c);
    await install(env, { ...base, chart, values: {} });
    const ok = await helmTest(env, base);
    assert.equal(ok.passed, true);
    assert.equal(ok.tests[0].last_run.phase, "Succeeded");
    const stored = await env.storage.get("web", 1);
    assert.equal(stored.hooks?.find((h) => h.name === "web-test")?.last_run.phase, "Succeeded");
    await upgrade(env, { ...base, chart, values: { tests: { fail: true } } });
    const bad = await helmTest(env, base);
    assert.equal(bad.passed, false);
    assert.match(bad.message, /test hook web-test failed/);
    const excluded = await helmTest(env, {
      ...base,
      filters: [{ name: "web-test", exclude: true }],
    });
    assert.equal(excluded.passed, true);
    assert.equal(excluded.tests.length, 0);
  }, PLAIN),
);

Deno.test(
  "uninstall deletes the objects and the history, or keeps it as uninstalled for replace",
  e2e,
  withCluster(async (c) => {
    const { env, chart } = await prepare(c);
    await install(env, { ...base, chart, values: {} });
    const result = await uninstall(env, { ...base, keepHistory: true });
    assert.ok(result.deleted.includes(`ConfigMap/${NS}/web-config`));
    assert.equal(c.server.store.get("v1", "ConfigMap", "web-config", NS), undefined);
    assert.equal(c.server.store.get("apps/v1", "Deployment", "web", NS), undefined);
    const history = await env.storage.history("web");
    assert.deepEqual(history.map((r) => [r.version, r.info.status]), [[1, "uninstalled"]]);
    // A name kept in history as uninstalled is still in use, as for Helm without --replace...
    await assert.rejects(
      () => install(env, { ...base, chart, values: {} }),
      (e) =>
        e instanceof HelmActionError && e.reason === "ReleaseInUse" &&
        /revision 1 is uninstalled\); replace/.test(e.message),
    );
    // ...and replace installs it again as revision 2, the uninstalled one superseded.
    const again = await install(env, { ...base, chart, values: {}, replace: true });
    assert.equal(again.version, 2);
    assert.deepEqual((await env.storage.history("web")).map((r) => [r.version, r.info.status]), [
      [1, "superseded"],
      [2, "deployed"],
    ]);
    await uninstall(env, base);
    assert.deepEqual(await env.storage.history("web"), []);
  }, PLAIN),
);

Deno.test(
  "maxHistory keeps the newest revisions",
  e2e,
  withCluster(async (c) => {
    const { env, chart } = await prepare(c);
    const fast = { ...base, wait: false, disableHooks: true, maxHistory: 2 };
    await install(env, { ...fast, chart, values: {} });
    for (const m of ["a", "b", "c"]) await upgrade(env, { ...fast, chart, values: { message: m } });
    const history = await env.storage.history("web");
    assert.deepEqual(history.map((r) => r.version), [3, 4]);
  }, PLAIN),
);

Deno.test(
  "a release Helm wrote is adopted: upgraded to revision 3, its stale objects deleted",
  e2e,
  withCluster(async (c) => {
    await ensureNs(c);
    const fixtures = new URL("../../../fixtures/helmrelease/adopt/", import.meta.url).pathname;
    for (const v of [1, 2]) {
      const text = await Deno.readTextFile(`${fixtures}sh.helm.release.v1.legacy.v${v}.yaml`);
      await c.client.create(parseOne(text) as KubeObject);
    }
    // The objects as helm left them: marked with its label and annotations.
    const helmMeta = {
      labels: { "app.kubernetes.io/managed-by": "Helm" },
      annotations: {
        "meta.helm.sh/release-name": "legacy",
        "meta.helm.sh/release-namespace": NS,
      },
    };
    for (const name of ["legacy-old", "legacy-config"]) {
      await c.client.create({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name, namespace: NS, ...helmMeta },
        data: { message: "second" },
      }, { fieldManager: "helm" });
    }
    const env = envFor(c);
    const chart = await loadChart(CHART);
    const rel = await upgrade(env, {
      ...base,
      releaseName: "legacy",
      chart,
      values: { message: "adopted" },
    });
    assert.equal(rel.version, 3);
    const history = await env.storage.history("legacy");
    assert.deepEqual(history.map((r) => [r.version, r.info.status]), [
      [1, "superseded"],
      [2, "superseded"],
      [3, "deployed"],
    ]);
    assert.equal(history[0].info.first_deployed, "2024-03-01T10:15:30.123456789+01:00");
    assert.equal(rel.info.first_deployed, "2024-03-01T10:15:30.123456789+01:00");
    assert.equal(c.server.store.get("v1", "ConfigMap", "legacy-old", NS), undefined);
    const cm = c.server.store.get("v1", "ConfigMap", "legacy-config", NS)!;
    assert.equal((cm.data as Record<string, string>).message, "adopted");
    // And back: rollback to Helm's revision 2 re-applies its manifest.
    const back = await rollback(env, { ...base, releaseName: "legacy", toVersion: 2 });
    assert.equal(back.version, 4);
    assert.ok(c.server.store.get("v1", "ConfigMap", "legacy-old", NS));
  }, PLAIN),
);

Deno.test(
  "reuseValues merges over the current values; cleanupOnFail deletes what a failed upgrade created",
  e2e,
  withCluster(async (c) => {
    const { env, chart } = await prepare(c);
    const fast = { ...base, disableHooks: true };
    await install(env, { ...fast, chart, values: { message: "kept", replicas: 2 } });
    const rel = await upgrade(env, { ...fast, chart, values: { replicas: 3 }, reuseValues: true });
    assert.deepEqual(rel.config, { message: "kept", replicas: 3 });
    await assert.rejects(() =>
      upgrade(env, {
        ...fast,
        timeoutMs: 1500,
        chart,
        values: { extra: { enabled: true }, deployment: { fail: true } },
        cleanupOnFail: true,
      })
    );
    assert.equal(c.server.store.get("v1", "ConfigMap", "web-extra", NS), undefined);
    assert.ok(c.server.store.get("v1", "ConfigMap", "web-config", NS));
  }, { rolloutDelayMs: 20, tls: false }),
);

Deno.test(
  "objects annotated helm.sh/resource-policy: keep survive upgrades and uninstall",
  e2e,
  withCluster(async (c) => {
    const { env, chart } = await prepare(c);
    const fast = { ...base, disableHooks: true, wait: false };
    // A post-renderer marks the extra ConfigMap, as a chart author would in the template.
    const postRender = (m: string) =>
      m.replace(
        "  name: web-extra\n",
        '  name: web-extra\n  annotations:\n    "helm.sh/resource-policy": keep\n',
      );
    await install(env, { ...fast, chart, values: { extra: { enabled: true } }, postRender });
    await upgrade(env, { ...fast, chart, values: {}, postRender });
    assert.ok(c.server.store.get("v1", "ConfigMap", "web-extra", NS), "kept by the upgrade");
    await upgrade(env, { ...fast, chart, values: { extra: { enabled: true } }, postRender });
    const result = await uninstall(env, base);
    assert.deepEqual(result.kept, [`ConfigMap/${NS}/web-extra`]);
    assert.ok(c.server.store.get("v1", "ConfigMap", "web-extra", NS), "kept by uninstall");
    assert.equal(c.server.store.get("v1", "ConfigMap", "web-config", NS), undefined);
  }, PLAIN),
);
