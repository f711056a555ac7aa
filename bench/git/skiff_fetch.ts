// One skiff fetch in its own process (so its peak RSS is measured alone): prints a JSON line
// {ms, revision, files, peakRssKb}. A third argument "submodules" sets recurseSubmodules.
import { fetchGitArtifact } from "../../lib/git/mod.ts";
import { Logger } from "../../lib/log/mod.ts";

const [url, cacheDir, submodules] = Deno.args;
const started = performance.now();
const artifact = await fetchGitArtifact(
  {
    url,
    ref: { branch: "main" },
    timeout: 600_000,
    recurseSubmodules: submodules === "submodules",
  },
  cacheDir,
  {
    logger: Deno.env.get("BENCH_GIT_TRACE") ? new Logger({ level: "debug" }) : undefined,
  },
);
const ms = performance.now() - started;
const status = await Deno.readTextFile("/proc/self/status");
const peakRssKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
console.log(JSON.stringify({ ms, revision: artifact.revision, files: artifact.files, peakRssKb }));
