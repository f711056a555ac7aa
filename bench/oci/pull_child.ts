// One pull in its own process, so its peak RSS is measured alone: prints a JSON line
// {ms, files, size, baseRssKb, peakRssKb}. Args: oci://URL TAG CACHE_DIR.
import { pullOciArtifact } from "../../lib/oci/mod.ts";

const [url, tag, cacheDir] = Deno.args;
const rssKb = (field: string) =>
  Number(new RegExp(`${field}:\\s+(\\d+)`).exec(Deno.readTextFileSync("/proc/self/status"))?.[1]);
const baseRssKb = rssKb("VmRSS");
const started = performance.now();
const artifact = await pullOciArtifact({ url, ref: { tag } }, cacheDir, {
  key: "OCIRepository/bench/big",
  registry: { insecure: true },
});
const ms = performance.now() - started;
console.log(JSON.stringify({
  ms,
  files: artifact.files,
  size: artifact.size,
  baseRssKb,
  peakRssKb: rssKb("VmHWM"),
}));
