// A waiting object's message follows its dependency chain: when the dependency it waits for
// fails after the wait was recorded, the stored text changes from "not ready yet" to the failure,
// and the status API (`skiff status`) and the status page say the same.
import assert from "node:assert/strict";
import { AgentCore } from "../../../agent/agent.ts";
import { fetchStatus } from "../../../agent/cli/agent_api.ts";
import { loadConfigText } from "../../../agent/config/mod.ts";
import { AgentServer, Metrics } from "../../../agent/server/mod.ts";
import { explainWaiting, StatusStore } from "../../../agent/status/mod.ts";
import { statusPageSourceFromStore } from "../../../agent/ui/mod.ts";
import { Logger } from "../../../lib/log/mod.ts";
import { startCluster } from "../../lib/kube/emulator_client.ts";

const APPS = "Kustomization/flux-system/apps";
const CONFIG = "Kustomization/flux-system/config";
const INFRA = "Kustomization/flux-system/infra";
const FAILURE = "Deployment cache/redis not ready: ProgressDeadlineExceeded";

/** What a waiting run records: the explanation of the moment (as dependenciesReady gives it). */
function recordWait(store: StatusStore, key: string): void {
  store.record(key, {
    ready: "False",
    reason: "DependencyNotReady",
    message: explainWaiting(store, key)!,
    durationMs: 1,
  });
}

function chain(): StatusStore {
  const store = new StatusStore();
  store.ensure(INFRA, { suspended: false });
  store.ensure(CONFIG, { suspended: false, dependsOn: [INFRA] });
  store.ensure(APPS, { suspended: false, dependsOn: [CONFIG] });
  return store;
}

Deno.test("a wait recorded as 'not ready yet' turns into the failure once the dependency fails", () => {
  const store = chain();
  recordWait(store, CONFIG);
  recordWait(store, APPS);
  assert.equal(
    store.get(APPS)!.message,
    "apps waits for config, which waits for infra, which is not ready yet",
  );
  const told: string[] = [];
  store.onRecord((key) => told.push(key));

  store.record(INFRA, {
    ready: "False",
    reason: "HealthCheckFailed",
    message: FAILURE,
    durationMs: 1,
  });

  const apps = store.get(APPS)!;
  const expected = `apps waits for config, which waits for infra, which failed: ${FAILURE}`;
  assert.equal(apps.message, expected);
  assert.equal(apps.lastError, expected);
  assert.equal(store.get(CONFIG)!.message, `config waits for infra, which failed: ${FAILURE}`);
  // The history keeps what was true when apps last ran; listeners hear of both changes.
  assert.match(apps.history[0].message, /which is not ready yet$/);
  assert.deepEqual(told.sort(), [APPS, CONFIG, INFRA].sort());
});

Deno.test("suspending a dependency by a config reload re-explains the objects waiting for it", () => {
  const store = chain();
  recordWait(store, CONFIG);
  recordWait(store, APPS);
  store.ensure(INFRA, { suspended: true });
  assert.equal(
    store.get(APPS)!.message,
    "apps waits for config, which waits for infra, which is suspended",
  );
});

Deno.test({
  name: "the status API (skiff status) and the status page tell the same current story",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const config = loadConfigText(
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: fleet, namespace: flux-system}
spec: {interval: 1h, url: "http://127.0.0.1:1/fleet.git", ref: {branch: main}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: infra, namespace: flux-system}
spec: {interval: 1h, path: ./infra, prune: true, sourceRef: {kind: GitRepository, name: fleet}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 1h
  path: ./apps
  prune: true
  sourceRef: {kind: GitRepository, name: fleet}
  dependsOn: [{name: infra}]
`,
      "skiff.yaml",
    );
    // The core is never started: the statuses are recorded by hand, as runs would.
    const cluster = await startCluster({ tls: false });
    const client = cluster.client;
    const logger = new Logger({ level: "error", sink: { write: () => {} } });
    const core = new AgentCore({ config, client, logger, cacheDir: "/nonexistent" });
    const server = new AgentServer({ core, metrics: new Metrics(core), logger, ready: () => true });
    await server.listen("127.0.0.1:0");
    const page = statusPageSourceFromStore(core.statuses);
    try {
      recordWait(core.statuses, APPS);
      core.statuses.record(INFRA, {
        ready: "False",
        reason: "HealthCheckFailed",
        message: FAILURE,
        durationMs: 1,
      });
      const expected = `apps waits for infra, which failed: ${FAILURE}`;
      const api = (await fetchStatus(`http://127.0.0.1:${server.port}`))
        .find((o) => o.name === "apps")!;
      const row = page.overview().find((r) => r.key === APPS)!;
      assert.deepEqual([api.message, api.lastError], [expected, expected]);
      assert.deepEqual([row.message, row.lastError], [expected, expected]);
      assert.equal(core.statuses.get(APPS)!.message, expected);
    } finally {
      page.close();
      await server.close();
      await core.stop();
      await cluster.stop();
    }
  },
});
