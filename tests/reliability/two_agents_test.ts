// Two agents without leader election pointed at the same cluster by mistake, with the same
// config: both converge on the same objects and then stay quiet (no flapping, no hot loop of
// writes or requests), and each reports the other — a warning in the log and in
// /api/v1/status, a Warning Event on the presence Lease, `skiff_agent_conflict 1` — until one
// of them is gone.
import assert from "node:assert/strict";
import type { RunningAgent } from "../../agent/run.ts";
import { statusCommand } from "../../agent/cli/status.ts";
import {
  configMap,
  eventually,
  gitRepository,
  kustomization,
  startWorld,
  type World,
} from "../e2e/harness.ts";
import { countBookkeepingWrites } from "./bookkeeping_writes.ts";
import { recordScenario } from "./record.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };
/** Short, so the agents find each other within about a second. */
const PRESENCE_PERIOD_MS = 500;

/** An agent of the world's config with its own identity and a short presence period. */
function startNamedAgent(world: World, identity: string): Promise<RunningAgent> {
  return world.startAgent({ identity, presencePeriodMs: PRESENCE_PERIOD_MS });
}

async function warningsOf(agent: RunningAgent): Promise<string[]> {
  const res = await fetch(`http://127.0.0.1:${agent.port}/api/v1/status`);
  return (await res.json() as { warnings: string[] }).warnings;
}

async function conflictGauge(agent: RunningAgent): Promise<string | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${agent.port}/metrics`)).text();
  return /^skiff_agent_conflict (\d)$/m.exec(text)?.[1];
}

Deno.test(
  "two agents on one cluster do not flap or hot-loop, and report each other",
  opts,
  async () => {
    const world = await startWorld(
      { "apps/a.yaml": configMap("a", { v: "1" }), "apps/b.yaml": configMap("b", { v: "1" }) },
      (url) =>
        [
          gitRepository(url, "2s"),
          kustomization("apps", "./apps", { targetNamespace: "default" }, "2s"),
        ].join("---\n"),
    );
    const agents: RunningAgent[] = [];
    try {
      const store = world.api.store;
      // Presence renewals and Events are writes too; counted apart from the objects'.
      const bookkeeping = countBookkeepingWrites(world.api);
      const value = () => (store.get("v1", "ConfigMap", "a", "default")?.data as { v?: string })?.v;
      const one = await startNamedAgent(world, "agent-1");
      agents.push(one);
      const two = await startNamedAgent(world, "agent-2");
      agents.push(two);
      await eventually("first sync", () => value() === "1", 15_000, world.logs);
      await world.repo.commit({ "apps/a.yaml": configMap("a", { v: "2" }) });
      await eventually("both converge on the commit", () => value() === "2", 15_000, world.logs);
      await new Promise((r) => setTimeout(r, 2_500));
      // Quiet period: several reconcile intervals of both agents.
      const writes = world.api.stats.writes - bookkeeping();
      const requests = world.api.stats.requests;
      const rv =
        (store.get("v1", "ConfigMap", "a", "default")?.metadata as { resourceVersion: string })
          .resourceVersion;
      await new Promise((r) => setTimeout(r, 6_000));
      const objectWrites = world.api.stats.writes - bookkeeping() - writes;
      const rate = (world.api.stats.requests - requests) / 6;
      assert.equal(
        (store.get("v1", "ConfigMap", "a", "default")?.metadata as { resourceVersion: string })
          .resourceVersion,
        rv,
        "the object is not rewritten back and forth",
      );
      assert.ok(objectWrites <= 4, `${objectWrites} writes in 6 s: flapping`);
      assert.ok(rate < 50, `${rate.toFixed(1)} requests/s: a hot loop`);

      // The conflict is reported by both, naming the other and what to do.
      for (const [agent, other] of [[one, "agent-2"], [two, "agent-1"]] as const) {
        const [warning] = await warningsOf(agent);
        assert.match(warning ?? "", new RegExp(`another skiff agent, "${other}"`));
        assert.match(warning, /Enable Agent\.spec\.leaderElection .*or remove the second agent/);
        assert.equal(await conflictGauge(agent), "1");
        assert.ok(
          world.logs.some((l) =>
            l.includes("WARN") && l.includes(`another skiff agent, "${other}"`)
          ),
          `no warning about ${other} in the log`,
        );
      }
      // `skiff status` prints the warning on stderr, above the table.
      const printed: string[] = [];
      const [error, writeSync] = [console.error, Deno.stdout.writeSync];
      console.error = (...parts: unknown[]) => printed.push(parts.join(" "));
      Deno.stdout.writeSync = (p: Uint8Array) => p.length;
      try {
        await statusCommand(`http://127.0.0.1:${one.port}`, "table");
      } finally {
        console.error = error;
        Deno.stdout.writeSync = writeSync;
      }
      assert.ok(
        printed.some((l) => l.startsWith('warning: another skiff agent, "agent-2"')),
        printed.join("\n"),
      );
      const events = (store.list("v1", "Event", "flux-system") as {
        reason: string;
        type: string;
        involvedObject: { kind: string; name: string };
        reportingInstance: string;
      }[]).filter((e) => e.reason === "AgentConflict");
      assert.deepEqual(
        events.map((e) => `${e.type} ${e.involvedObject.kind}/${e.involvedObject.name}`),
        ["Warning Lease/skiff-presence", "Warning Lease/skiff-presence"],
        "one Warning Event from each agent, reported once",
      );

      // With the second agent gone, the first stops reporting once the record would expire.
      await two.stop();
      const stoppedAt = performance.now();
      await eventually(
        "the conflict clears",
        async () => (await warningsOf(one)).length === 0,
        10_000,
        world.logs,
      );
      const clearedMs = performance.now() - stoppedAt;
      assert.equal(await conflictGauge(one), "0");
      await recordScenario("two-agents", {
        faultsInjected: 1,
        note: `${rate.toFixed(1)} req/s, ${objectWrites} writes in 6 s; both reported the ` +
          `other; cleared ${(clearedMs / 1000).toFixed(1)} s after one stopped`,
      });
    } finally {
      for (const a of agents) await a.stop();
      await world.stop();
    }
  },
);
