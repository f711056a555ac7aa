// API server faults during the apply of 500 objects through lib/kube's ApplyEngine, against the
// emulator's fault injection: 500s, 429 storms with Retry-After, dropped connections, latency
// spikes, a restart with state kept, faults while pruning, and an empty render. Each scenario must
// converge once the faults stop, write every object exactly once, keep the inventory complete and
// never prune anything still in Git.
import assert from "node:assert/strict";
import { startApiServer } from "../apiserver/mod.ts";
import { ApplyEngine, Inventory, PruneRefusedError } from "../../lib/kube/mod.ts";
import { freePort, tempDir } from "../support/process.ts";
import { recordScenario } from "./record.ts";
import {
  type ApiServer,
  assertConverged,
  clientFor,
  converge,
  faultsFired,
  fleet,
  NAMESPACE,
  OWNER,
  withEmulator,
} from "./fleet.ts";

/** The fleet's ConfigMaps (the emulator adds kube-root-ca.crt to every namespace). */
function fleetConfigMaps(server: ApiServer) {
  return server.store.list("v1", "ConfigMap", NAMESPACE).filter((o) =>
    String((o.metadata as Record<string, unknown>).name).startsWith("cm-")
  );
}

const e2e = { sanitizeResources: false, sanitizeOps: false };
const N = 500;

Deno.test({
  name: "500s on 30% of applies: converges, each object written once, inventory complete",
  ...e2e,
  fn: () =>
    withEmulator({ seed: 7 }, {}, async (server, engine) => {
      server.faults.add({ verb: "patch", fraction: 0.3, status: 500, times: 400 });
      const objects = fleet(N);
      const before = server.stats.writes;
      const result = await converge(engine, objects, undefined);
      const lost = assertConverged(server, objects, result, server.stats.writes - before);
      const fired = faultsFired(server);
      assert.ok(fired > 0, "faults were injected");
      // Applying the same set again writes nothing: the retries left nothing half-done.
      server.faults.clear();
      const again = server.stats.writes;
      await engine.applySet(objects, result.changes.inventory, OWNER);
      assert.equal(server.stats.writes, again);
      await recordScenario("api-500s", {
        faultsInjected: fired,
        objectsLost: lost,
        note: `${N} objects, ${result.attempts} attempt(s)`,
      });
    }),
});

Deno.test({
  name: "a 429 storm with Retry-After: waits as told, then converges with one write each",
  ...e2e,
  fn: () =>
    withEmulator({ seed: 8 }, {}, async (server, engine) => {
      const objects = fleet(N);
      // The storm hits the first 16 ConfigMap applies (8 in flight), each asking to come back in 1 s.
      server.faults.storm429(16, 1, { verb: "patch", resource: "configmaps" });
      const before = server.stats.writes;
      const start = performance.now();
      const result = await converge(engine, objects, undefined);
      const ms = performance.now() - start;
      assert.ok(ms >= 1000, `Retry-After was not honoured (${ms} ms)`);
      const lost = assertConverged(server, objects, result, server.stats.writes - before);
      assert.ok(faultsFired(server) > 0, "faults were injected");
      await recordScenario("api-429-storm", {
        faultsInjected: faultsFired(server),
        objectsLost: lost,
        note: `${N} objects in ${(ms / 1000).toFixed(1)} s`,
      });
    }),
});

Deno.test({
  name: "connections dropped mid-request: retried, converges, no duplicate writes",
  ...e2e,
  fn: () =>
    withEmulator({ seed: 9 }, {}, async (server, engine) => {
      const objects = fleet(N);
      server.faults.add({ drop: true, fraction: 0.1, times: 60 });
      const before = server.stats.writes;
      const result = await converge(engine, objects, undefined);
      const lost = assertConverged(server, objects, result, server.stats.writes - before);
      assert.ok(faultsFired(server) > 0);
      await recordScenario("api-dropped-connections", {
        faultsInjected: faultsFired(server),
        objectsLost: lost,
        note: `${N} objects, ${result.attempts} attempt(s)`,
      });
    }),
});

Deno.test({
  name: "latency spikes beyond the client timeout: converges, nothing applied twice",
  ...e2e,
  fn: () =>
    // 10 s spikes against the default 30 s timeout, scaled down: 1.5 s spikes against a 1 s
    // timeout, the harsher case (the request times out client-side but the server still acts).
    withEmulator({ seed: 10 }, { timeoutMs: 1_000 }, async (server, engine) => {
      const objects = fleet(N);
      server.faults.add({ latencyMs: 1_500, fraction: 0.02, times: 12 });
      const before = server.stats.writes;
      const result = await converge(engine, objects, undefined);
      // Writes the server made for requests the client had given up on are not repeated.
      await new Promise((r) => setTimeout(r, 1_600));
      const lost = assertConverged(server, objects, result, server.stats.writes - before);
      assert.ok(faultsFired(server) > 0, "faults were injected");
      await recordScenario("api-latency-spikes", {
        faultsInjected: faultsFired(server),
        objectsLost: lost,
        note: `${N} objects, ${result.attempts} attempt(s)`,
      });
    }),
});

Deno.test({
  name: "the API server restarted mid-apply (state kept): the reconcile converges",
  ...e2e,
  fn: async () => {
    const dir = await tempDir("skiff-restart-");
    const port = freePort();
    const options = {
      tls: false,
      port,
      seed: 11,
      snapshotFile: `${dir.path}/state.json`,
      kubeconfigPath: `${dir.path}/kubeconfig`,
      adminToken: "restart-admin-token",
    };
    let server = await startApiServer(options);
    const client = await clientFor(server, {
      retry: { baseDelayMs: 50, maxDelayMs: 500, maxRetries: 8 },
    });
    const engine = new ApplyEngine(client);
    try {
      const objects = fleet(N);
      let writes = 0;
      const applying = converge(engine, objects, undefined);
      while (server.stats.writes < 150) await new Promise((r) => setTimeout(r, 5));
      writes += server.stats.writes;
      const firstWrites = writes;
      await server.stop();
      server = await startApiServer(options);
      const result = await applying;
      writes += server.stats.writes;
      const lost = assertConverged(server, objects, result, writes);
      await recordScenario("api-restart", {
        faultsInjected: 1,
        objectsLost: lost,
        note: `restarted after ${firstWrites} of ${objects.length} writes`,
      });
    } finally {
      client.transport.close();
      await server.stop();
      await dir.remove();
    }
  },
});

Deno.test({
  name: "faults while pruning: only what left Git is deleted, nothing still in Git",
  ...e2e,
  fn: () =>
    withEmulator({ seed: 12 }, {}, async (server, engine) => {
      const all = fleet(N);
      const first = await engine.applySet(all, undefined, OWNER);
      const uids = new Map(
        fleetConfigMaps(server).map((o) => [
          String((o.metadata as Record<string, unknown>).name),
          String((o.metadata as Record<string, unknown>).uid),
        ]),
      );
      const kept = all.slice(0, all.length - 50);
      server.faults.add({ verb: "delete", fraction: 0.5, status: 500, times: 200 });
      server.faults.add({ verb: "patch", fraction: 0.2, status: 503, times: 100 });
      const result = await converge(engine, kept, first.inventory);
      assert.equal(result.changes.inventory.size, kept.length);
      const live = fleetConfigMaps(server);
      assert.equal(live.length, kept.length - 1, "exactly the 50 removed objects are gone");
      // Nothing still in Git was deleted (and recreated): every uid is the original one.
      for (const o of live) {
        const meta = o.metadata as Record<string, unknown>;
        assert.equal(String(meta.uid), uids.get(String(meta.name)), `${meta.name} was recreated`);
      }
      assert.ok(faultsFired(server) > 0, "faults were injected");
      await recordScenario("api-prune-under-faults", {
        faultsInjected: faultsFired(server),
        objectsLost: kept.length - 1 - live.length,
        note: `50 of ${N} pruned, ${result.attempts} attempt(s)`,
      });
    }),
});

Deno.test({
  name: "a render that suddenly returns zero objects prunes nothing",
  ...e2e,
  fn: () =>
    withEmulator({ seed: 13 }, {}, async (server, engine) => {
      const objects = fleet(50);
      const first = await engine.applySet(objects, undefined, OWNER);
      const writes = server.stats.writes;
      await assert.rejects(
        () => engine.applySet([], first.inventory, OWNER),
        (e: unknown) => e instanceof PruneRefusedError && e.inventorySize === 51,
      );
      assert.equal(server.stats.writes, writes, "nothing written or deleted");
      assert.equal(fleetConfigMaps(server).length, 50);
      // The stored inventory is unchanged, so the next good render carries on from it.
      const next = await engine.applySet(
        objects,
        Inventory.decode(first.inventory.encode()),
        OWNER,
      );
      assert.equal(next.inventory.size, 51);
      await recordScenario("apply-zero-objects", { faultsInjected: 1 });
    }),
});
