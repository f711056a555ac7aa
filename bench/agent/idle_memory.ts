// Idle memory of a `skiff run` child process managing 10 Kustomizations, and what it is made of:
// the JavaScript heap (from /metrics), anonymous memory outside it (the runtime's allocator,
// thread stacks), and pages of the binary and libraries (file-backed, from smaps_rollup).
import {
  configMap,
  deployment,
  eventually,
  gitRepository,
  kustomization,
  startWorld,
} from "../../tests/e2e/harness.ts";
import { freePort } from "../../tests/support/process.ts";
import { spawnSkiffRun } from "../../tests/support/skiff_process.ts";
import type { TaskCommand } from "./skiff_task.ts";

const KUSTOMIZATIONS = 10;
/** After the last Kustomization is ready: start-up garbage is collected, timers settle. */
const SETTLE_MS = 8_000;

export interface IdleMemory {
  rssMB: number;
  anonymousMB: number;
  fileBackedMB: number;
  heapUsedMB: number;
  heapTotalMB: number;
  externalMB: number;
  /** CPU time (user + system) the process spent from start to idle. */
  cpuSeconds: number;
}

export async function measureIdleMemory(command: TaskCommand): Promise<IdleMemory> {
  const files: Record<string, string> = {};
  const docs: string[] = [];
  for (let i = 0; i < KUSTOMIZATIONS; i++) {
    files[`app${i}/cm.yaml`] = configMap(`settings-${i}`, { i: String(i) });
    files[`app${i}/web.yaml`] = deployment(`web-${i}`);
  }
  const world = await startWorld(files, (url) => {
    docs.push(gitRepository(url, "1m"));
    for (let i = 0; i < KUSTOMIZATIONS; i++) {
      docs.push(kustomization(`app${i}`, `./app${i}`, { targetNamespace: "default" }, "1m"));
    }
    return docs.join("---\n");
  });
  const port = freePort();
  const child = spawnSkiffRun({
    configPath: world.configPath,
    kubeconfig: world.api.kubeconfigPath,
    address: `127.0.0.1:${port}`,
    cacheDir: `${world.dir}/rss-cache`,
    launch: command,
  });
  try {
    await eventually(`${KUSTOMIZATIONS} Kustomizations ready`, async () => {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/api/v1/status`);
        const body = await r.json() as { objects: { kind: string; ready: string }[] };
        return body.objects.filter((o) => o.kind === "Kustomization" && o.ready === "True")
          .length === KUSTOMIZATIONS;
      } catch {
        return false;
      }
    }, 60_000);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const rollup = await Deno.readTextFile(`/proc/${child.pid}/smaps_rollup`);
    const stat = (await Deno.readTextFile(`/proc/${child.pid}/stat`)).split(") ")[1].split(" ");
    const ticks = Number(stat[11]) + Number(stat[12]); // utime, stime (fields 14 and 15)
    const rssMB = kB(rollup, "Rss");
    const anonymousMB = kB(rollup, "Anonymous");
    return {
      rssMB,
      anonymousMB,
      fileBackedMB: rssMB - anonymousMB,
      heapUsedMB: gauge(metrics, "skiff_heap_used_bytes"),
      heapTotalMB: gauge(metrics, "skiff_heap_total_bytes"),
      externalMB: gauge(metrics, "skiff_external_memory_bytes"),
      cpuSeconds: ticks / 100,
    };
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await world.stop();
  }
}

function kB(rollup: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(rollup);
  return m ? Number(m[1]) / 1024 : NaN;
}

function gauge(metrics: string, name: string): number {
  const m = new RegExp(`^${name} (\\S+)`, "m").exec(metrics);
  return m ? Number(m[1]) / 1048576 : NaN;
}
