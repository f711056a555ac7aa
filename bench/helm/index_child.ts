// Child process of the index benchmark: scans the index file for two charts and reports the
// resident memory before and at the peak, so nothing else in the parent skews the numbers.
import { scanIndex } from "../../lib/helm/repo/mod.ts";
import { rssNow, rssPeak } from "./rss.ts";

const path = Deno.args[0];
// Let start-up allocations settle before taking the baseline.
await scanIndex("warmup", new Blob(["apiVersion: v1\nentries: {}\n"]).stream(), ["x"]);
const before = Math.max(rssNow(), rssPeak());
const started = performance.now();
const file = await Deno.open(path);
const scanned = await scanIndex("bench", file.readable, ["wanted-a", "wanted-b"]);
const ms = performance.now() - started;
const peak = rssPeak();
console.log(JSON.stringify({
  ms,
  baseline: before,
  peak,
  found: Object.fromEntries([...scanned.entries].map(([k, v]) => [k, v.length])),
}));
