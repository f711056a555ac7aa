// Helm's install --replace, and rollback --recreate-pods and --cleanup-on-fail, against the
// API emulator with the history checked as Helm stores it.
import assert from "node:assert/strict";
import {
  type ActionEnv,
  HelmActionError,
  install,
  rollback,
  upgrade,
} from "../../../../lib/helm/actions/mod.ts";
import { ReleaseStorage } from "../../../../lib/helm/release/mod.ts";
import { type Chart, loadChart } from "../../../../lib/helm/mod.ts";
import { ApplyEngine } from "../../../../lib/kube/mod.ts";
import { type Cluster, withCluster } from "../../kube/emulator_client.ts";

const e2e = { sanitizeResources: false, sanitizeOps: false };
const CHART = new URL("../../../fixtures/helmrelease/charts/webapp", import.meta.url).pathname;
const NS = "apps";
const base = { releaseName: "web", namespace: NS, timeoutMs: 10_000 };
const fast = { ...base, disableHooks: true };

async function prepare(c: Cluster): Promise<{ env: ActionEnv; chart: Chart; logs: string[] }> {
  await c.client.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
  const logs: string[] = [];
  const env = {
    client: c.client,
    engine: new ApplyEngine(c.client),
    storage: new ReleaseStorage(c.client, NS),
    log: (m: string) => logs.push(m),
  };
  return { env, chart: await loadChart(CHART), logs };
}

const statuses = async (env: ActionEnv) =>
  (await env.storage.history("web")).map((r) => [r.version, r.info.status]);

Deno.test(
  "install replace reuses the name of a failed release, which stays failed in history",
  e2e,
  withCluster(async (c) => {
    const { env, chart } = await prepare(c);
    await assert.rejects(() =>
      install(env, { ...fast, timeoutMs: 1500, chart, values: { deployment: { fail: true } } })
    );
    assert.deepEqual(await statuses(env), [[1, "failed"]]);
    await assert.rejects(
      () => install(env, { ...fast, chart, values: {} }),
      (e) =>
        e instanceof HelmActionError && e.reason === "ReleaseInUse" &&
        /cannot re-use a name that is still in use \(revision 1 is failed\); replace/.test(
          e.message,
        ),
    );
    const rel = await install(env, { ...fast, chart, values: {}, replace: true });
    assert.equal(rel.version, 2);
    assert.equal(rel.info.description, "Install complete");
    assert.deepEqual(await statuses(env), [[1, "failed"], [2, "deployed"]]);
    // A deployed release is never replaced: replace only reuses deleted or failed names.
    await assert.rejects(
      () => install(env, { ...fast, chart, values: {}, replace: true }),
      (e) => e instanceof HelmActionError && /revision 2 is deployed\)$/.test(e.message),
    );
  }, { rolloutDelayMs: 20, tls: false }),
);

Deno.test(
  "rollback recreate deletes the Pods of updated workloads, and only with recreate",
  e2e,
  withCluster(async (c) => {
    const { env, chart, logs } = await prepare(c);
    await install(env, { ...fast, chart, values: {} });
    await upgrade(env, { ...fast, chart, values: { message: "v2" } });
    const pod = (name: string, app: string) =>
      c.client.create({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace: NS, labels: { app } },
        spec: { containers: [{ name: "c", image: "nginx:1.27" }] },
      });
    await pod("web-abc", "web");
    await pod("other", "other");
    // Without recreate the Pods stay.
    await rollback(env, { ...fast, toVersion: 1 });
    assert.ok(c.server.store.get("v1", "Pod", "web-abc", NS));
    await upgrade(env, { ...fast, chart, values: { message: "v4" } });
    await rollback(env, { ...fast, toVersion: 1, recreate: true });
    assert.equal(c.server.store.get("v1", "Pod", "web-abc", NS), undefined, logs.join("\n"));
    assert.ok(c.server.store.get("v1", "Pod", "other", NS), "a Pod the release does not select");
    assert.ok(
      logs.some((l) => l.startsWith("recreated pods:") && l.includes(`${NS}/web-abc`)),
      logs.join("\n"),
    );
    const cm = c.server.store.get("v1", "ConfigMap", "web-config", NS)!;
    assert.equal((cm.data as Record<string, string>).message, "hello");
  }, { tls: false }),
);

Deno.test(
  "rollback cleanupOnFail deletes what a failed rollback apply created",
  e2e,
  withCluster(async (c) => {
    const { env, chart } = await prepare(c);
    const fastNoWait = { ...fast, wait: false };
    await install(env, { ...fastNoWait, chart, values: { extra: { enabled: true } } });
    await upgrade(env, { ...fastNoWait, chart, values: { replicas: 2 } });
    assert.equal(c.server.store.get("v1", "ConfigMap", "web-extra", NS), undefined);
    // Revision 1 brings web-extra back; applying its Deployment then fails for good.
    const fault = c.server.faults.add({
      verb: "patch",
      resource: "deployments",
      status: 422,
      times: 100,
    });
    await assert.rejects(
      () => rollback(env, { ...fastNoWait, toVersion: 1, cleanupOnFail: true }),
      (e) => e instanceof HelmActionError && e.reason === "RollbackFailed",
    );
    c.server.faults.remove(fault);
    assert.equal(c.server.store.get("v1", "ConfigMap", "web-extra", NS), undefined);
    assert.ok(c.server.store.get("v1", "ConfigMap", "web-config", NS), "existed before: kept");
    assert.deepEqual(await statuses(env), [[1, "superseded"], [2, "deployed"], [3, "failed"]]);
  }, { tls: false }),
);
