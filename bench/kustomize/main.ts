// `deno task bench kustomize`: builds generated trees of growing size with skiff (each build in
// a fresh process: build time, objects/s, peak RSS) and, where present, with `kubectl kustomize`
// on the same trees in the same run, and prints the ratio. skiff should grow linearly.
import { join } from "node:path";
import { writeBenchTree } from "./tree.ts";

const SIZES = [1, 15, 30, 40, 60]; // overlays: ~50, ~750, ~1,500, ~2,000, ~3,000 objects
const RUNS = 3;
const here = new URL(".", import.meta.url).pathname;

async function skiffBuild(root: string, dir: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(here, "build_once.ts"), root, dir],
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error("skiff build failed");
  return JSON.parse(new TextDecoder().decode(out.stdout)) as {
    ms: number;
    objects: number;
    rssPeakMiB: number;
  };
}

async function kubectlMs(dir: string): Promise<number | undefined> {
  try {
    const start = performance.now();
    const out = await new Deno.Command("kubectl", {
      args: ["kustomize", dir],
      stdout: "null",
      stderr: "null",
    })
      .output();
    return out.success ? performance.now() - start : undefined;
  } catch {
    return undefined;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tmp = await Deno.makeTempDir({ prefix: "skiff-bench-kustomize-" });
const noKubectl = Deno.env.get("SKIP_KUBECTL") === "1";
try {
  console.log("overlays  objects  skiff ms  ms/object  objects/s  peak RSS MiB  kubectl ms  ratio");
  for (const overlays of SIZES) {
    const root = join(tmp, `tree-${overlays}`);
    await writeBenchTree(root, overlays);
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await skiffBuild(root, "envs"));
    const ms = median(runs.map((r) => r.ms));
    const objects = runs[0].objects;
    const rss = Math.max(...runs.map((r) => r.rssPeakMiB));
    const theirs = noKubectl ? undefined : await kubectlMs(join(root, "envs"));
    console.log(
      [
        String(overlays).padStart(8),
        String(objects).padStart(8),
        ms.toFixed(0).padStart(9),
        (ms / objects).toFixed(3).padStart(10),
        Math.round(objects / (ms / 1000)).toString().padStart(10),
        rss.toFixed(0).padStart(13),
        (theirs === undefined ? "-" : theirs.toFixed(0)).padStart(11),
        (theirs === undefined ? "-" : `${(theirs / ms).toFixed(1)}x`).padStart(6),
      ].join(" "),
    );
  }
} finally {
  await Deno.remove(tmp, { recursive: true });
}
