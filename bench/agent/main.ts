// Benchmarks of the agent against the API emulator and a real Git server:
//   1. idle RSS of a `skiff run` process managing 10 Kustomizations (target ≤ 80 MB), started as
//      the `skiff` task starts it (its runtime flags), and without those flags for comparison;
//      `deno run -A bench/agent/main.ts idle` runs this part alone
//   2. git push → cluster converged, with a webhook (target ≤ 2 s) and by polling (≤ interval + 1 s)
//   3. API requests of a no-op reconcile of a 200-object Kustomization (target: a handful)
import {
  appsConfig,
  configMap,
  configOf,
  deployment,
  eventually,
  gitRepository,
  kustomization,
  replicasOf,
  seedFluxSystem,
  startWorld,
} from "../../tests/e2e/harness.ts";
import { githubPushReceiver, sendGithubPush } from "../../tests/support/github_webhook.ts";
import { measureIdleMemory } from "./idle_memory.ts";
import { plainRunCommand, skiffTaskCommand } from "./skiff_task.ts";

const results: string[] = [];
const report = (line: string) => {
  console.log(line);
  results.push(line);
};

async function idleRss(): Promise<void> {
  const task = await skiffTaskCommand();
  const mb = (n: number) => n.toFixed(1);
  const ratio = (n: number) => (n / 80).toFixed(2);
  const idle = await measureIdleMemory(task);
  report(
    `idle RSS of skiff run (deno task skiff), 10 Kustomizations: ${mb(idle.rssMB)} MB ` +
      `(target ≤ 80 MB; ratio ${ratio(idle.rssMB)})`,
  );
  report(
    `  made of: JS heap ${mb(idle.heapUsedMB)} MB used of ${mb(idle.heapTotalMB)} MB, ` +
      `${mb(idle.anonymousMB - idle.heapTotalMB)} MB other anonymous (allocator, stacks; ` +
      `external ${mb(idle.externalMB)} MB), ${mb(idle.fileBackedMB)} MB binary and libraries; ` +
      `CPU to idle ${idle.cpuSeconds.toFixed(2)} s (task: ${task.text})`,
  );
  const plain = await measureIdleMemory(plainRunCommand());
  report(
    `idle RSS without the task's runtime flags (deno run -A main.ts): ${mb(plain.rssMB)} MB ` +
      `(target ≤ 80 MB; ratio ${ratio(plain.rssMB)}); JS heap ${mb(plain.heapUsedMB)} of ` +
      `${mb(plain.heapTotalMB)} MB; CPU to idle ${plain.cpuSeconds.toFixed(2)} s`,
  );
}

async function pushToConverged(): Promise<void> {
  const token = "bench-token-123";
  for (const mode of ["webhook", "poll"] as const) {
    const interval = mode === "webhook" ? "1h" : "5s";
    const world = await startWorld(
      { "apps/web.yaml": deployment("web", 1) },
      (url) => appsConfig(url, interval, "1h", githubPushReceiver),
    );
    try {
      seedFluxSystem(world.api, { "webhook-token": { token } });
      const agent = await world.startAgent();
      const replicas = () => replicasOf(world.api, "web");
      await eventually("first sync", () => replicas() === 1, 20_000);
      const samples: number[] = [];
      for (let n = 2; n <= 4; n++) {
        // Poll mode: push at a random point of the interval, as real pushes happen.
        if (mode === "poll") await new Promise((r) => setTimeout(r, Math.random() * 5_000));
        await world.repo.commit({ "apps/web.yaml": deployment("web", n) });
        const pushed = performance.now();
        if (mode === "webhook") {
          const path = agent.server!.receivers.pathOf("flux-system", "github");
          await sendGithubPush(`http://127.0.0.1:${agent.port}${path}`, token);
        }
        await eventually("converged", () => replicas() === n, 20_000);
        samples.push(performance.now() - pushed);
      }
      const max = Math.max(...samples);
      const target = mode === "webhook" ? 2_000 : 6_000;
      report(
        `git push → converged, ${mode === "webhook" ? "with a webhook" : "polling every 5s"}: ` +
          `${samples.map((s) => Math.round(s)).join(", ")} ms (max ${
            Math.round(max)
          } ms; target ≤ ${target} ms; ratio ${(max / target).toFixed(2)})`,
      );
    } finally {
      await world.stop();
    }
  }
}

async function noOpRequests(): Promise<void> {
  const files: Record<string, string> = {};
  for (let i = 0; i < 200; i++) files[`big/cm-${i}.yaml`] = configMap(`cm-${i}`, { i: String(i) });
  const world = await startWorld(
    files,
    (url) =>
      configOf(
        gitRepository(url, "1h"),
        kustomization("big", "./big", { targetNamespace: "default" }, "1h"),
      ),
  );
  try {
    const agent = await world.startAgent();
    const key = "Kustomization/flux-system/big";
    const status = () => agent.core.statuses.get(key)!;
    await eventually("200 objects applied", () => status()?.ready === "True", 60_000);
    await new Promise((r) => setTimeout(r, 1_500));
    const measure = async (force: boolean) => {
      const before = agent.core.client.transport.stats.requests;
      const runs = status().lastReconcileTime;
      const started = performance.now();
      if (force) agent.core.reconcileNow(key, "bench");
      else agent.core.scheduler.trigger(key, "interval");
      await eventually("run", () => status().lastReconcileTime !== runs, 30_000);
      return {
        requests: agent.core.client.transport.stats.requests - before,
        ms: performance.now() - started,
      };
    };
    const noop = await measure(false);
    const full = await measure(true);
    report(
      `no-op reconcile of a 200-object Kustomization: ${noop.requests} API requests, ` +
        `${Math.round(noop.ms)} ms (full dry-run check when forced: ${full.requests} requests, ${
          Math.round(full.ms)
        } ms)`,
    );
  } finally {
    await world.stop();
  }
}

await idleRss();
if (!Deno.args.includes("idle")) {
  await pushToConverged();
  await noOpRequests();
}
console.log("\nsummary:\n  " + results.join("\n  "));
