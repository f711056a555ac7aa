// The presence record: a lone agent renews it quietly, a restarted agent does not mistake its
// predecessor for a rival, and two agents renewing the same record report each other (log,
// Event, metrics) until one of them goes away.
import assert from "node:assert/strict";
import { KubeClient, loadKubeConfig } from "../../../lib/kube/mod.ts";
import { Logger } from "../../../lib/log/mod.ts";
import {
  CONFLICT_REASON,
  type PresenceConflict,
  presenceLeaseName,
  presenceMetrics,
  PresenceRecord,
} from "../../../agent/leader/mod.ts";
import { startApiServer } from "../../apiserver/mod.ts";

const NAMESPACE = "flux-system";
const PERIOD_MS = 1_000;

async function setup() {
  const api = await startApiServer({ tls: false });
  api.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE } });
  const clients: KubeClient[] = [];
  const logs: string[] = [];
  const agent = async (identity: string, changes: (PresenceConflict | undefined)[] = []) => {
    const client = new KubeClient(
      await loadKubeConfig({ kubeconfig: api.kubeconfigPath, env: {} }),
    );
    clients.push(client);
    const record = new PresenceRecord(client, {
      namespace: NAMESPACE,
      name: presenceLeaseName(undefined),
      identity,
      periodMs: PERIOD_MS,
      logger: new Logger({ level: "debug", sink: { write: (l) => logs.push(l) } }),
      onChange: (c) => changes.push(c),
    });
    return { record, client };
  };
  const events = () =>
    api.store.list("v1", "Event", NAMESPACE) as {
      reason: string;
      type: string;
      message: string;
      involvedObject: { kind: string; name: string };
    }[];
  const close = async () => {
    for (const c of clients) c.transport.close();
    await api.stop();
  };
  return { api, agent, events, logs, close };
}

Deno.test("a lone agent renews its record with one GET and one PUT and reports nothing", async () => {
  const { api, agent, events, close } = await setup();
  try {
    const { record, client } = await agent("agent-1");
    await record.check();
    for (let i = 0; i < 3; i++) {
      const before = client.transport.stats.requests;
      await record.check();
      assert.equal(client.transport.stats.requests - before, 2, "GET + PUT per period");
    }
    const lease = api.store.get("coordination.k8s.io/v1", "Lease", "skiff-presence", NAMESPACE);
    const spec = lease?.spec as { holderIdentity: string; leaseDurationSeconds: number };
    assert.equal(spec.holderIdentity, "agent-1");
    assert.equal(spec.leaseDurationSeconds, 3, "three periods");
    assert.equal(record.conflict, undefined);
    assert.equal(events().length, 0);
  } finally {
    await close();
  }
});

Deno.test("a restarted agent (new identity) does not report its predecessor", async () => {
  const { agent, events, close } = await setup();
  try {
    const before = await agent("host-111");
    await before.record.check();
    await before.record.check();
    const after = await agent("host-222");
    for (let i = 0; i < 4; i++) await after.record.check();
    assert.equal(after.record.conflict, undefined);
    assert.equal(after.record.conflictsTotal, 0);
    assert.equal(events().length, 0);
  } finally {
    await close();
  }
});

Deno.test("two agents renewing one record report each other: log, Event, metrics", async () => {
  const { agent, events, logs, close } = await setup();
  try {
    const changes: (PresenceConflict | undefined)[] = [];
    const a = await agent("agent-a", changes);
    const b = await agent("agent-b");
    await a.record.check();
    await b.record.check();
    await a.record.check(); // first sighting of agent-b: could be a predecessor shutting down
    assert.equal(a.record.conflict, undefined);
    await b.record.check();
    await a.record.check(); // second: a live rival
    await b.record.check();
    await a.record.stop();
    await b.record.stop();
    const conflict = a.record.conflict!;
    assert.equal(conflict.other, "agent-b");
    assert.equal(b.record.conflict?.other, "agent-a");
    assert.match(conflict.message, /another skiff agent, "agent-b"/);
    assert.match(
      conflict.message,
      /Enable Agent\.spec\.leaderElection on every replica, or remove the second agent/,
    );
    assert.deepEqual(changes, [conflict], "reported once");
    assert.ok(logs.some((l) => l.includes("WARN") && l.includes('"agent-b"')), logs.join("\n"));
    const warnings = events().filter((e) => e.reason === CONFLICT_REASON);
    assert.equal(warnings.length, 2, "one Event from each agent");
    assert.ok(warnings.every((e) => e.type === "Warning"));
    assert.deepEqual(warnings.map((e) => e.involvedObject.name), [
      "skiff-presence",
      "skiff-presence",
    ]);
    const metrics = presenceMetrics(a.record).join("\n");
    assert.match(metrics, /^skiff_agent_conflicts_total 1$/m);
    assert.match(metrics, /^skiff_agent_conflict 1$/m);
  } finally {
    await close();
  }
});

Deno.test("the conflict clears once the other agent stops renewing", async () => {
  const { agent, logs, close } = await setup();
  try {
    const changes: (PresenceConflict | undefined)[] = [];
    const a = await agent("agent-a", changes);
    const b = await agent("agent-b");
    for (let i = 0; i < 3; i++) {
      await a.record.check();
      await b.record.check();
    }
    assert.equal(a.record.conflict?.other, "agent-b");
    // agent-b is gone; agent-a still sees its last renewal once, then renews alone.
    await a.record.check();
    assert.equal(a.record.conflict?.other, "agent-b");
    await a.record.check(new Date(Date.now() + 2 * PERIOD_MS));
    assert.equal(a.record.conflict?.other, "agent-b", "not before its record would expire");
    await a.record.check(new Date(Date.now() + 3 * PERIOD_MS + 500));
    await a.record.stop();
    await b.record.stop();
    assert.equal(a.record.conflict, undefined);
    assert.equal(changes.length, 2);
    assert.equal(changes[1], undefined);
    assert.equal(a.record.conflictsTotal, 1, "the counter keeps the history");
    assert.match(presenceMetrics(a.record).join("\n"), /^skiff_agent_conflict 0$/m);
    assert.ok(logs.some((l) => l.includes("no longer seen")));
  } finally {
    await close();
  }
});

Deno.test("each shard keeps its own presence record", () => {
  assert.equal(presenceLeaseName(undefined), "skiff-presence");
  assert.equal(presenceLeaseName("eu-1"), "skiff-presence-eu-1");
});
