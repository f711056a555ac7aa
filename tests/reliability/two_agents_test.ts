// Two agents without leader election pointed at the same cluster by mistake, with the same
// config: both converge on the same objects and then stay quiet (no flapping, no hot loop of
// writes or requests). Reporting the conflict is not implemented (see docs/reliability.md).
import assert from "node:assert/strict";
import { configMap, eventually, gitRepository, kustomization, startWorld } from "../e2e/harness.ts";
import { recordScenario } from "./record.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

Deno.test("two agents on one cluster do not flap or hot-loop", opts, async () => {
  const world = await startWorld(
    { "apps/a.yaml": configMap("a", { v: "1" }), "apps/b.yaml": configMap("b", { v: "1" }) },
    (url) =>
      [
        gitRepository(url, "2s"),
        kustomization("apps", "./apps", { targetNamespace: "default" }, "2s"),
      ].join("---\n"),
  );
  try {
    const store = world.api.store;
    const value = () => (store.get("v1", "ConfigMap", "a", "default")?.data as { v?: string })?.v;
    await world.startAgent({ identity: "agent-1" });
    await world.startAgent({ identity: "agent-2" });
    await eventually("first sync", () => value() === "1", 15_000, world.logs);
    await world.repo.commit({ "apps/a.yaml": configMap("a", { v: "2" }) });
    await eventually("both converge on the commit", () => value() === "2", 15_000, world.logs);
    await new Promise((r) => setTimeout(r, 2_500));
    // Quiet period: several reconcile intervals of both agents.
    const writes = world.api.stats.writes;
    const requests = world.api.stats.requests;
    const rv =
      (store.get("v1", "ConfigMap", "a", "default")?.metadata as { resourceVersion: string })
        .resourceVersion;
    await new Promise((r) => setTimeout(r, 6_000));
    const objectWrites = world.api.stats.writes - writes;
    const rate = (world.api.stats.requests - requests) / 6;
    assert.equal(
      (store.get("v1", "ConfigMap", "a", "default")?.metadata as { resourceVersion: string })
        .resourceVersion,
      rv,
      "the object is not rewritten back and forth",
    );
    assert.ok(objectWrites <= 4, `${objectWrites} writes in 6 s: flapping`);
    assert.ok(rate < 50, `${rate.toFixed(1)} requests/s: a hot loop`);
    await recordScenario("two-agents", {
      faultsInjected: 1,
      note: `${rate.toFixed(1)} req/s, ${objectWrites} writes in 6 s`,
    });
  } finally {
    await world.stop();
  }
});
