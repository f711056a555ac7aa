// One timed build in a fresh process, so peak RSS belongs to that build alone:
// prints {"ms": ..., "objects": ..., "rssPeakMiB": ...}.
import { buildKustomization, emitYaml } from "../../lib/kustomize/mod.ts";

const [root, dir] = Deno.args;
const start = performance.now();
const objects = await buildKustomization(root, dir);
const text = emitYaml(objects);
const ms = performance.now() - start;
const status = await Deno.readTextFile("/proc/self/status").catch(() => "");
const hwm = status.match(/VmHWM:\s+(\d+) kB/);
console.log(JSON.stringify({
  ms,
  objects: objects.length,
  bytes: text.length,
  rssPeakMiB: hwm ? Number(hwm[1]) / 1024 : Deno.memoryUsage().rss / 1048576,
}));
