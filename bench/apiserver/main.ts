// Benchmarks of the Kubernetes API emulator (tests/apiserver): start-up time, holding 20,000
// objects, listing 1,000 objects over HTTPS, server-side apply throughput. Each number is printed
// with its target from the emulator's issue and the ratio measured/target (< 1 is good). The
// measuring client runs in its own process (client.ts), as real clients do.
import { startApiServer } from "../../tests/apiserver/mod.ts";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function report(name: string, value: number, unit: string, target?: number): void {
  const ratio = target ? `  target ${target} ${unit}  ratio ${(value / target).toFixed(2)}` : "";
  console.log(`${name.padEnd(44)} ${value.toFixed(1).padStart(9)} ${unit}${ratio}`);
}

const t0 = performance.now();
const first = await startApiServer();
report("start-up (first in process)", performance.now() - t0, "ms", 200);
await first.stop();
const starts: number[] = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  const s = await startApiServer();
  starts.push(performance.now() - t);
  await s.stop();
}
report("start-up (median of 5 more)", median(starts), "ms", 200);

// The command line, from spawning Deno to a written kubeconfig (Deno's own boot included).
const cliDir = await Deno.makeTempDir({ prefix: "bench-apiserver-" });
const tCli = performance.now();
const cli = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    "--quiet",
    new URL("../../tests/apiserver/main.ts", import.meta.url).pathname,
    "--kubeconfig",
    `${cliDir}/kubeconfig`,
  ],
  stdout: "null",
  stderr: "null",
}).spawn();
while (true) {
  try {
    if ((await Deno.readTextFile(`${cliDir}/kubeconfig`)).includes("current-context")) break;
  } catch {
    // not written yet
  }
  await new Promise((r) => setTimeout(r, 5));
}
report("deno task apiserver: spawn to kubeconfig", performance.now() - tCli, "ms");
cli.kill("SIGTERM");
await cli.status;
await Deno.remove(cliDir, { recursive: true });

const server = await startApiServer({ rolloutDelayMs: 60_000 });

const namespaces = 20;
const perNamespace = 1000;
const tLoad = performance.now();
for (let n = 0; n < namespaces; n++) {
  server.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: `ns-${n}` } });
}
for (let n = 0; n < namespaces; n++) {
  for (let i = 0; i < perNamespace; i++) {
    server.store.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: `cm-${i}`,
        namespace: `ns-${n}`,
        labels: { app: `a${i % 10}`, tier: "bench" },
      },
      data: { key: `value-${i}`, other: "x".repeat(64) },
    });
  }
}
const loadMs = performance.now() - tLoad;
report(`load ${namespaces * perNamespace} ConfigMaps (in process)`, loadMs, "ms");
report("objects held", server.store.count(), "objects");
report("RSS with them", Deno.memoryUsage().rss / 1e6, "MB");

const client = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    new URL("./client.ts", import.meta.url).pathname,
    server.url,
    server.adminToken,
    server.caFile,
  ],
  stdout: "piped",
  stderr: "inherit",
}).spawn();
const timings = JSON.parse(new TextDecoder().decode((await client.output()).stdout)) as Record<
  string,
  number[]
>;
report("list 1,000 objects over HTTPS (median of 15)", median(timings.list), "ms", 50);
report("list with labelSelector (100 of 1,000)", median(timings.listSelector), "ms", 50);
report("list limit=500 (first page)", median(timings.listPage), "ms", 50);
report("get one object (median of 50)", median(timings.get), "ms");
report("server-side apply of a Deployment (median)", median(timings.apply), "ms");

await server.stop();
