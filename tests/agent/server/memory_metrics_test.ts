// /metrics tells where the agent's memory goes (issue 10): resident memory, and of it the
// JavaScript heap in use and reserved, and memory held outside the heap by its objects.
import assert from "node:assert/strict";
import { AgentCore } from "../../../agent/agent.ts";
import { loadConfigText } from "../../../agent/config/mod.ts";
import { Metrics } from "../../../agent/server/mod.ts";
import { Logger } from "../../../lib/log/mod.ts";
import { startCluster } from "../../lib/kube/emulator_client.ts";

function gauge(text: string, name: string): number {
  const m = new RegExp(`^${name} (\\d+)$`, "m").exec(text);
  assert.ok(m, `${name} is missing from /metrics`);
  assert.match(text, new RegExp(`^# TYPE ${name} gauge$`, "m"));
  return Number(m[1]);
}

Deno.test("metrics break resident memory down into heap used, heap reserved and external", async () => {
  const config = loadConfigText("", "skiff.yaml");
  const cluster = await startCluster({ tls: false });
  const logger = new Logger({ level: "error", sink: { write: () => {} } });
  const core = new AgentCore({ config, client: cluster.client, logger, cacheDir: "/nonexistent" });
  try {
    const text = new Metrics(core).render();
    const rss = gauge(text, "process_resident_memory_bytes");
    const used = gauge(text, "skiff_heap_used_bytes");
    const total = gauge(text, "skiff_heap_total_bytes");
    const external = gauge(text, "skiff_external_memory_bytes");
    assert.ok(used > 0 && used <= total, `heap used ${used} within reserved ${total}`);
    assert.ok(total < rss, `heap reserved ${total} is part of resident ${rss}`);
    assert.ok(external >= 0);
  } finally {
    await core.stop();
    await cluster.stop();
  }
});
