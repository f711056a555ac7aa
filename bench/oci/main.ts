// bench/oci: OCI artifacts (lib/oci) against a real registry (Debian's docker-registry on
// loopback), with references measured in the same run:
//   push               pushOciArtifact of a directory of N manifests (tar+gzip, blobs, manifest)
//   first pull         pullOciArtifact with an empty cache (tag listing for a semver range,
//                      manifest, layer, unpack, files written)  vs  `tar xzf` of the same layer
//                      (GNU tar, from a local file) and `git clone --depth 1` of the same files
//                      (the real git against git http-backend)
//   unchanged poll     tag listing + manifest, nothing written (median of POLLS)
//   new tag            a new version with one file changed, pulled by the same semver range
// for N = 100, 1,000, 5,000; then the peak RSS of pulling a ~50 MiB layer in a child process
// (pull_child.ts) next to GNU tar unpacking it. Pulls run in this process after a warm-up
// pull, so Deno's start-up is not counted. Usage: deno task bench oci
// (BENCH_OCI_SIZES="100,1000", BENCH_OCI_ROUNDS, BENCH_OCI_BIG_MIB change the sizes and rounds.)
// On this machine's disk creating a file costs ~0.7 ms (Python and GNU tar alike), so pulls of
// many files measure the disk; TMPDIR=/dev/shm puts everything on tmpfs and shows skiff's own
// cost (5,000 files: ~0.4 s, tar ~0.1 s).
import { pullOciArtifact, pushOciArtifact } from "../../lib/oci/mod.ts";
import { startGitServer } from "../../tests/support/git_server.ts";
import { startRegistry, type TestRegistry } from "../../tests/support/registry.ts";
import { makeRandomTree, makeTree } from "./tree.ts";

const sizes = (Deno.env.get("BENCH_OCI_SIZES") ?? "100,1000,5000").split(",").map(Number);
const rounds = Number(Deno.env.get("BENCH_OCI_ROUNDS") ?? 3);
const bigMib = Number(Deno.env.get("BENCH_OCI_BIG_MIB") ?? 50);
const POLLS = 10;
const plain = { insecure: true };
const here = new URL(".", import.meta.url).pathname;
const gitEnv = { GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (ms: number) => (ms / 1000).toFixed(3);

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await fn();
  return [performance.now() - started, value];
}

/** Runs a command (through `/usr/bin/time -f %M` when `rss`), returns ms and peak RSS in KiB. */
async function timeCommand(
  cmd: string,
  args: string[],
  cwd: string,
): Promise<{ ms: number; rssKb: number }> {
  const started = performance.now();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "%M", cmd, ...args],
    cwd,
    env: gitEnv,
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - started;
  const stderr = new TextDecoder().decode(out.stderr).trim().split("\n");
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")}: ${stderr.join("\n")}`);
  return { ms, rssKb: Number(stderr[stderr.length - 1]) };
}

/** The layer blob of `repository:tag`, saved to `file` (the input of the tar reference). */
async function saveLayer(registry: TestRegistry, repository: string, tag: string, file: string) {
  const manifest = await (await fetch(`${registry.url}/v2/${repository}/manifests/${tag}`, {
    headers: { accept: "application/vnd.oci.image.manifest.v1+json" },
  })).json() as { layers: { digest: string }[] };
  const blob = await fetch(`${registry.url}/v2/${repository}/blobs/${manifest.layers[0].digest}`);
  await Deno.writeFile(file, new Uint8Array(await blob.arrayBuffer()));
}

interface SizeResult {
  files: number;
  layerKb: number;
  pushMs: number;
  pullMs: number;
  tarMs: number;
  gitCloneMs: number;
  pollMs: number;
  newTagMs: number;
}

async function benchSize(
  work: string,
  registry: TestRegistry,
  gitUrl: (name: string) => string,
  files: number,
): Promise<SizeResult> {
  const src = `${work}/src-${files}`;
  await makeTree(`${work}/repos`, `tree-${files}`, files, src);
  const samples: Record<Exclude<keyof SizeResult, "files" | "layerKb">, number[]> = {
    pushMs: [],
    pullMs: [],
    tarMs: [],
    gitCloneMs: [],
    pollMs: [],
    newTagMs: [],
  };
  let layerKb = 0;
  for (let round = 0; round < rounds; round++) {
    // A repository per round, so every push uploads its blobs and every pull starts cold.
    const repository = `bench/tree-${files}-${round}`;
    const url = `oci://${registry.host}/${repository}`;
    const push = (tag: string) =>
      pushOciArtifact({
        url: `${url}:${tag}`,
        path: src,
        source: "https://example.com/fleet.git",
        revision: `main@sha1:${"0".repeat(40)}`,
        created: new Date(0),
      }, plain);
    const [pushMs] = await timed(() => push("1.0.0"));
    samples.pushMs.push(pushMs);

    const cacheDir = `${work}/cache-${files}-${round}`;
    const pull = () =>
      pullOciArtifact({ url, ref: { semver: ">=1.0.0" } }, cacheDir, {
        key: `OCIRepository/bench/tree-${files}`,
        registry: plain,
      });
    const [pullMs, first] = await timed(pull);
    if (first.files !== files) throw new Error(`pulled ${first.files} files, expected ${files}`);
    samples.pullMs.push(pullMs);

    const layer = `${work}/layer-${files}.tgz`;
    await saveLayer(registry, repository, "1.0.0", layer);
    layerKb = (await Deno.stat(layer)).size / 1024;
    const tarDir = `${work}/tar-${files}-${round}`;
    await Deno.mkdir(tarDir);
    samples.tarMs.push((await timeCommand("tar", ["xzf", layer, "-C", tarDir], work)).ms);
    const cloneDir = `${work}/clone-${files}-${round}`;
    samples.gitCloneMs.push(
      (await timeCommand("git", [
        "clone",
        "--quiet",
        "--depth",
        "1",
        gitUrl(`tree-${files}`),
        cloneDir,
      ], work)).ms,
    );

    const polls: number[] = [];
    for (let i = 0; i < POLLS; i++) {
      const [ms, again] = await timed(pull);
      if (again.revision !== first.revision) throw new Error("an unchanged poll changed");
      polls.push(ms);
    }
    samples.pollMs.push(median(polls));

    const changed = `${src}/apps/team-0/service-0/manifest-0.yaml`;
    const original = await Deno.readTextFile(changed);
    await Deno.writeTextFile(changed, original + `# round ${round}\n`);
    await push("1.0.1");
    await Deno.writeTextFile(changed, original);
    const [newTagMs, next] = await timed(pull);
    if (!next.revision.startsWith("1.0.1@")) throw new Error(`pulled ${next.revision}`);
    samples.newTagMs.push(newTagMs);

    for (const dir of [cacheDir, tarDir, cloneDir]) await Deno.remove(dir, { recursive: true });
  }
  return {
    files,
    layerKb,
    pushMs: median(samples.pushMs),
    pullMs: median(samples.pullMs),
    tarMs: median(samples.tarMs),
    gitCloneMs: median(samples.gitCloneMs),
    pollMs: median(samples.pollMs),
    newTagMs: median(samples.newTagMs),
  };
}

interface BigResult {
  layerMib: number;
  pullMs: number;
  baseRssMib: number;
  peakRssMib: number;
  tarMs: number;
  tarRssMib: number;
}

async function benchBigLayer(work: string, registry: TestRegistry): Promise<BigResult> {
  const src = `${work}/big`;
  await makeRandomTree(src, bigMib);
  await pushOciArtifact({
    url: `oci://${registry.host}/bench/big:1.0.0`,
    path: src,
    source: "https://example.com/fleet.git",
    revision: `main@sha1:${"0".repeat(40)}`,
  }, plain);
  const layer = `${work}/big.tgz`;
  await saveLayer(registry, "bench/big", "1.0.0", layer);
  const child = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--quiet",
      `${here}pull_child.ts`,
      `oci://${registry.host}/bench/big`,
      "1.0.0",
      `${work}/big-cache`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!child.success) throw new Error(`pull_child: ${new TextDecoder().decode(child.stderr)}`);
  const r = JSON.parse(new TextDecoder().decode(child.stdout)) as {
    ms: number;
    baseRssKb: number;
    peakRssKb: number;
  };
  await Deno.mkdir(`${work}/big-tar`);
  const tar = await timeCommand("tar", ["xzf", layer, "-C", `${work}/big-tar`], work);
  return {
    layerMib: (await Deno.stat(layer)).size / (1024 * 1024),
    pullMs: r.ms,
    baseRssMib: r.baseRssKb / 1024,
    peakRssMib: r.peakRssKb / 1024,
    tarMs: tar.ms,
    tarRssMib: tar.rssKb / 1024,
  };
}

async function main(work: string): Promise<void> {
  const registry = await startRegistry();
  await Deno.mkdir(`${work}/repos`);
  const git = await startGitServer({ root: `${work}/repos` });
  const results: SizeResult[] = [];
  let big: BigResult;
  try {
    // Warm-up: the first pull of the process compiles the code paths.
    await Deno.mkdir(`${work}/warm/a`, { recursive: true });
    await Deno.writeTextFile(`${work}/warm/a/x.yaml`, "a: 1\n");
    await pushOciArtifact({
      url: `oci://${registry.host}/bench/warm:1.0.0`,
      path: `${work}/warm`,
      source: "s",
      revision: "r",
    }, plain);
    await pullOciArtifact(
      { url: `oci://${registry.host}/bench/warm`, ref: { semver: "*" } },
      `${work}/warm-cache`,
      {
        key: "warm",
        registry: plain,
      },
    );
    for (const files of sizes) results.push(await benchSize(work, registry, git.url, files));
    big = await benchBigLayer(work, registry);
  } finally {
    await git.stop();
    await registry.stop();
  }

  console.log(`median of ${rounds} rounds (unchanged poll: median of ${POLLS} per round)`);
  console.log(
    "files   layer KB   push s  first pull s  tar xzf s  ratio  git clone s  ratio  poll ms  new tag s",
  );
  for (const r of results) {
    console.log(
      [
        String(r.files).padStart(5),
        r.layerKb.toFixed(0).padStart(10),
        seconds(r.pushMs).padStart(8),
        seconds(r.pullMs).padStart(13),
        seconds(r.tarMs).padStart(10),
        (r.pullMs / r.tarMs).toFixed(2).padStart(6),
        seconds(r.gitCloneMs).padStart(12),
        (r.pullMs / r.gitCloneMs).toFixed(2).padStart(6),
        r.pollMs.toFixed(1).padStart(8),
        seconds(r.newTagMs).padStart(10),
      ].join(" "),
    );
  }
  console.log(
    `${big.layerMib.toFixed(1)} MiB layer: pull ${seconds(big.pullMs)} s, peak RSS ${
      big.peakRssMib.toFixed(0)
    } MiB (${(big.peakRssMib - big.baseRssMib).toFixed(0)} MiB above the ${
      big.baseRssMib.toFixed(0)
    } MiB at start); tar xzf ${seconds(big.tarMs)} s, ${big.tarRssMib.toFixed(1)} MiB; ` +
      `time ratio ${(big.pullMs / big.tarMs).toFixed(2)}`,
  );
  console.log(JSON.stringify({ sizes: results, bigLayer: big }));
}

const work = await Deno.makeTempDir({ prefix: "skiff-bench-oci-" });
try {
  await main(work);
} finally {
  await Deno.remove(work, { recursive: true }).catch(() => {});
}
