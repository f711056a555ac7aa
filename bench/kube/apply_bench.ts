// Benchmark of the apply engine against the API emulator, with kubectl as the reference:
// 1,000 objects of mixed kinds (ConfigMaps, Deployments, Services, a CRD and its instances);
// first apply, no-op re-apply and a re-apply with 10 objects changed; time, API requests and
// peak RSS, and the ratio to `kubectl apply --server-side` on the same objects.
// Usage: deno run -A bench/kube/apply_bench.ts
import { startApiServer } from "../../tests/apiserver/mod.ts";
import { YAML } from "../../lib/yaml/mod.ts";
import { benchObjects, changedIndexes, crd } from "./objects.ts";
import type { Phase } from "./apply_child.ts";

const here = new URL(".", import.meta.url).pathname;
const work = await Deno.makeTempDir({ prefix: "skiff-bench-" });

interface Row extends Phase {
  peakRssMb?: number;
}

async function skiff(): Promise<
  { phases: Row[]; peakRssMb: number; heapUsedMb: number; startRssMb: number }
> {
  const server = await startApiServer({ tls: true, kubeconfigPath: `${work}/skiff.kubeconfig` });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", `${here}apply_child.ts`, server.kubeconfigPath],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    if (!out.success) throw new Error("the skiff benchmark child failed");
    return JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").pop()!);
  } finally {
    await server.stop();
  }
}

async function kubectl(): Promise<Row[]> {
  const server = await startApiServer({ tls: true, kubeconfigPath: `${work}/kubectl.kubeconfig` });
  const env = {
    KUBECONFIG: server.kubeconfigPath,
    KUBECACHEDIR: `${work}/kubectl-cache`,
    HOME: work,
  };
  const toYaml = (objects: unknown[]) => objects.map((o) => YAML.stringify(o)).join("---\n");
  await Deno.writeTextFile(`${work}/crd.yaml`, toYaml([crd()]));
  await Deno.writeTextFile(`${work}/all.yaml`, toYaml(benchObjects()));
  await Deno.writeTextFile(
    `${work}/changed.yaml`,
    toYaml(benchObjects(1000, 4, changedIndexes(10))),
  );
  const run = async (name: string, file: string): Promise<Row> => {
    const requests = server.stats.requests;
    const start = performance.now();
    const out = await new Deno.Command("/usr/bin/time", {
      args: [
        "-f",
        "%M",
        "kubectl",
        "apply",
        "--server-side",
        "--field-manager=kubectl-bench",
        "-f",
        file,
      ],
      env,
      stdout: "null",
      stderr: "piped",
    }).output();
    const ms = Math.round(performance.now() - start);
    const stderr = new TextDecoder().decode(out.stderr).trim().split("\n");
    if (!out.success) throw new Error(`kubectl ${name} failed: ${stderr.slice(-3).join(" / ")}`);
    return {
      name,
      ms,
      requests: server.stats.requests - requests,
      changed: 0,
      peakRssMb: Math.round(Number(stderr.pop()) / 1024),
    };
  };
  try {
    // kubectl cannot apply a CRD and its instances in one go: the CRD goes first, as users do.
    await run("crd", `${work}/crd.yaml`);
    await waitForKind(server.kubeconfigPath, env);
    return [
      await run("first apply", `${work}/all.yaml`),
      await run("no-op re-apply", `${work}/all.yaml`),
      await run("10 changed", `${work}/changed.yaml`),
    ];
  } finally {
    await server.stop();
  }
}

async function waitForKind(_kubeconfig: string, env: Record<string, string>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const out = await new Deno.Command("kubectl", {
      args: ["get", "widgets", "-A"],
      env,
      stdout: "null",
      stderr: "null",
    })
      .output();
    if (out.success) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

let ours: Awaited<ReturnType<typeof skiff>>;
let theirs: Row[];
try {
  ours = await skiff();
  theirs = await kubectl();
} finally {
  await Deno.remove(work, { recursive: true });
}

const pad = (s: string | number, n: number) => String(s).padEnd(n);
console.log(
  `skiff apply engine, 1,000 objects: RSS ${ours.startRssMb} MB at start, peak ${ours.peakRssMb} MB; ` +
    `JS heap at the end ${ours.heapUsedMb} MB; RSS after each phase: ` +
    ours.phases.map((p) => `${p.name} ${p.rssMb} MB`).join(", "),
);
console.log(
  `${pad("phase", 28)}${pad("skiff ms", 10)}${pad("requests", 10)}${pad("kubectl ms", 12)}${
    pad("requests", 10)
  }ratio`,
);
for (const row of ours.phases) {
  const ref = theirs.find((t) => t.name === row.name);
  const ratio = ref ? `${(ref.ms / Math.max(1, row.ms)).toFixed(1)}x` : "";
  console.log(
    `${pad(row.name, 28)}${pad(row.ms, 10)}${pad(row.requests, 10)}${pad(ref?.ms ?? "", 12)}${
      pad(ref?.requests ?? "", 10)
    }${ratio}`,
  );
}
console.log(`kubectl peak RSS: ${Math.max(...theirs.map((t) => t.peakRssMb ?? 0))} MB`);
