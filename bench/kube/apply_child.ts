// The skiff side of the benchmark, in its own process so its peak RSS is its own: applies the
// 1,000 objects three times (first, no-op, 10 changed) with one engine, as the agent would,
// plus a no-op with a fresh engine (no verdict cache), and prints one JSON line of results.
// Usage: deno run -A bench/kube/apply_child.ts KUBECONFIG
import {
  ApplyEngine,
  type ApplySetOptions,
  KubeClient,
  loadKubeConfig,
} from "../../lib/kube/mod.ts";
import { benchObjects, changedIndexes } from "./objects.ts";

const kubeconfig = Deno.args[0];
// BENCH_HTTP1=1 keeps the client to HTTP/1.1 (default: HTTP/2 when offered).
const client = new KubeClient(await loadKubeConfig({ kubeconfig, env: {} }), {
  http2: Deno.env.get("BENCH_HTTP1") !== "1",
});
const engine = new ApplyEngine(client, { concurrency: 8 });
const options: ApplySetOptions = {
  ownerLabels: {
    "kustomize.toolkit.fluxcd.io/name": "bench",
    "kustomize.toolkit.fluxcd.io/namespace": "flux-system",
  },
  prune: true,
};

export interface Phase {
  name: string;
  ms: number;
  requests: number;
  changed: number;
  /** Resident memory right after the phase. */
  rssMb?: number;
}

function statusField(name: string): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  return Math.round(Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);
}

const phases: Phase[] = [];
async function phase(name: string, run: () => Promise<{ changes: { action: string }[] }>) {
  const requests = client.transport.stats.requests;
  const start = performance.now();
  const result = await run();
  phases.push({
    name,
    ms: Math.round(performance.now() - start),
    requests: client.transport.stats.requests - requests,
    changed: result.changes.filter((c) => c.action !== "unchanged").length,
    rssMb: statusField("VmRSS"),
  });
}

const startRssMb = statusField("VmRSS");
const first = benchObjects();
let inventory = (await engine.applySet([], undefined, options)).inventory;
await phase("first apply", async () => {
  const r = await engine.applySet(first, inventory, options);
  inventory = r.inventory;
  return r;
});
await phase("no-op re-apply", () => engine.applySet(first, inventory, options));
await phase(
  "no-op re-apply, no cache",
  () => new ApplyEngine(client).applySet(first, inventory, options),
);
await phase(
  "10 changed",
  () => engine.applySet(benchObjects(1000, 4, changedIndexes(10)), inventory, options),
);

const peakRssMb = statusField("VmHWM");
client.transport.close();
const heapUsedMb = Math.round(Deno.memoryUsage().heapUsed / 1024 / 1024);
console.log(JSON.stringify({ phases, peakRssMb, heapUsedMb, startRssMb }));
