// bench/git: skiff's Git source against the git binary, in the same run, on a repository with
// 5,000 commits and 10,000 files served by git http-backend:
//   first clone        git clone --depth 1   vs fetchGitArtifact (empty cache)
//   incremental fetch  git pull --ff-only    vs fetchGitArtifact after one new commit (the
//                      first one fills the second artifact slot; the 2nd is the steady state)
//   unchanged poll     git ls-remote         vs fetchGitArtifact with nothing new
//   submodules         git clone --recurse-submodules / git pull --recurse-submodules vs
//                      fetchGitArtifact with recurseSubmodules, a 2,000-file submodule
// Wall time is measured around each process (skiff also reports its in-process time, without
// Deno's start-up); peak RSS from /usr/bin/time (git, with its helper processes) and from
// /proc/self/status VmHWM (skiff). Usage: deno task bench git
// (BENCH_GIT_FILES, BENCH_GIT_COMMITS, BENCH_GIT_ROUNDS, BENCH_GIT_SUBMODULE_FILES change the
// sizes and the rounds; BENCH_GIT_SUBMODULE_FILES=0 leaves the submodule rows out.)
import { startGitServer } from "../../tests/support/git_server.ts";
import { makeBenchRepo } from "./make_repo.ts";

const files = Number(Deno.env.get("BENCH_GIT_FILES") ?? 10_000);
const commits = Number(Deno.env.get("BENCH_GIT_COMMITS") ?? 5_000);
const rounds = Number(Deno.env.get("BENCH_GIT_ROUNDS") ?? 3);
const submoduleFiles = Number(Deno.env.get("BENCH_GIT_SUBMODULE_FILES") ?? 2_000);
const here = new URL(".", import.meta.url).pathname;
const gitEnv = { GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" };
const hasTime = await Deno.stat("/usr/bin/time").then(() => true, () => false);

interface Sample {
  ms: number;
  rssKb?: number;
  inProcessMs?: number;
}

async function timeGit(args: string[], cwd: string): Promise<Sample> {
  const cmd = hasTime ? "/usr/bin/time" : "git";
  const fullArgs = hasTime ? ["-f", "%M", "git", ...args] : args;
  const started = performance.now();
  const out = await new Deno.Command(cmd, {
    args: fullArgs,
    cwd,
    env: gitEnv,
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - started;
  if (!out.success) {
    throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  const lines = new TextDecoder().decode(out.stderr).trim().split("\n");
  return { ms, rssKb: hasTime ? Number(lines[lines.length - 1]) : undefined };
}

async function timeSkiff(url: string, cacheDir: string, submodules = false): Promise<Sample> {
  const started = performance.now();
  const extra = submodules ? ["submodules"] : [];
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", `${here}skiff_fetch.ts`, url, cacheDir, ...extra],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const ms = performance.now() - started;
  if (!out.success) throw new Error(`skiff fetch: ${new TextDecoder().decode(out.stderr)}`);
  const result = JSON.parse(new TextDecoder().decode(out.stdout));
  return { ms, rssKb: result.peakRssKb, inProcessMs: result.ms };
}

/** Pushes one commit touching one file, with the real git. */
async function newCommit(work: string, bare: string, n: number): Promise<void> {
  const clone = `${work}/pusher`;
  await Deno.remove(clone, { recursive: true }).catch(() => {});
  const env = {
    ...gitEnv,
    GIT_AUTHOR_NAME: "b",
    GIT_AUTHOR_EMAIL: "b@example.com",
    GIT_COMMITTER_NAME: "b",
    GIT_COMMITTER_EMAIL: "b@example.com",
  };
  const run = (args: string[], cwd: string) =>
    new Deno.Command("git", { args, cwd, env, stdout: "null", stderr: "null" }).output();
  await run(["clone", "--quiet", "--depth", "1", `file://${bare}`, clone], work);
  await Deno.writeTextFile(`${clone}/apps/changed-${n}.yaml`, `round: ${n}\n`);
  await run(["add", "-A"], clone);
  await run(["commit", "--quiet", "-m", `round ${n}`], clone);
  await run(["push", "--quiet", "origin", "HEAD:main"], clone);
}

/**
 * Git submodules (spec.recurseSubmodules): a parent of 50 files whose `vendor/lib` is a
 * submodule of `submoduleFiles` files, both served by git http-backend. First fetch: `git clone
 * --recurse-submodules` vs fetchGitArtifact with recurseSubmodules (empty cache); unchanged
 * poll: `git pull --recurse-submodules` vs fetchGitArtifact with nothing new.
 */
async function benchSubmodules(
  work: string,
  urlOf: (name: string) => string,
): Promise<{ name: string; git: Sample[]; skiff: Sample[] }[]> {
  const root = `${work}/repos`;
  await makeBenchRepo(`${root}/lib.git`, { files: submoduleFiles, commits: 1 });
  await makeBenchRepo(`${root}/parent.git`, { files: 50, commits: 1 });
  const clone = `${work}/parent-work`;
  const env = {
    ...gitEnv,
    GIT_AUTHOR_NAME: "b",
    GIT_AUTHOR_EMAIL: "b@example.com",
    GIT_COMMITTER_NAME: "b",
    GIT_COMMITTER_EMAIL: "b@example.com",
  };
  for (
    const args of [
      ["clone", "--quiet", `file://${root}/parent.git`, clone],
      ["-C", clone, "submodule", "add", "--quiet", urlOf("lib"), "vendor/lib"],
      ["-C", clone, "commit", "--quiet", "-m", "add vendor/lib"],
      ["-C", clone, "push", "--quiet", "origin", "HEAD:main"],
    ]
  ) {
    const out = await new Deno.Command("git", { args, cwd: work, env, stderr: "piped" }).output();
    if (!out.success) {
      throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
    }
  }
  const url = urlOf("parent");
  const first = {
    name: `submodule ${submoduleFiles} files`,
    git: [] as Sample[],
    skiff: [] as Sample[],
  };
  const poll = { name: "submodule unchanged poll", git: [] as Sample[], skiff: [] as Sample[] };
  for (let round = 0; round < rounds; round++) {
    const gitDir = `${work}/sub-git-${round}`;
    const cacheDir = `${work}/sub-skiff-${round}`;
    first.git.push(
      await timeGit(["clone", "--quiet", "--recurse-submodules", url, gitDir], work),
    );
    first.skiff.push(await timeSkiff(url, cacheDir, true));
    poll.git.push(await timeGit(["pull", "--quiet", "--ff-only", "--recurse-submodules"], gitDir));
    poll.skiff.push(await timeSkiff(url, cacheDir, true));
    await Deno.remove(gitDir, { recursive: true });
    await Deno.remove(cacheDir, { recursive: true });
  }
  return [first, poll];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(work: string): Promise<void> {
  const root = `${work}/repos`;
  const bare = `${root}/bench.git`;
  await makeBenchRepo(bare, { files, commits });
  const server = await startGitServer({ root });
  const url = server.url("bench");
  const rows: { name: string; git: Sample[]; skiff: Sample[] }[] = [
    { name: "first clone (depth 1)", git: [], skiff: [] },
    { name: "incremental fetch", git: [], skiff: [] },
    { name: "2nd incremental fetch", git: [], skiff: [] },
    { name: "unchanged-remote poll", git: [], skiff: [] },
  ];
  try {
    for (let round = 0; round < rounds; round++) {
      const gitDir = `${work}/git-${round}`;
      const cacheDir = `${work}/skiff-${round}`;
      rows[0].git.push(await timeGit(["clone", "--quiet", "--depth", "1", url, gitDir], work));
      rows[0].skiff.push(await timeSkiff(url, cacheDir));
      await newCommit(work, bare, round);
      rows[1].git.push(await timeGit(["pull", "--quiet", "--ff-only"], gitDir));
      rows[1].skiff.push(await timeSkiff(url, cacheDir));
      await newCommit(work, bare, rounds + round);
      rows[2].git.push(await timeGit(["pull", "--quiet", "--ff-only"], gitDir));
      rows[2].skiff.push(await timeSkiff(url, cacheDir));
      rows[3].git.push(await timeGit(["ls-remote", url, "refs/heads/main"], work));
      rows[3].skiff.push(await timeSkiff(url, cacheDir));
      await Deno.remove(gitDir, { recursive: true });
      await Deno.remove(cacheDir, { recursive: true });
    }
    if (submoduleFiles > 0) rows.push(...await benchSubmodules(work, server.url));
  } finally {
    await server.stop();
  }

  console.log(`repository: ${files} files, ${commits} commits; median of ${rounds} rounds`);
  console.log(
    "case                     git s   skiff s  (in-process)  ratio   git RSS MB  skiff RSS MB",
  );
  const report: Record<string, unknown> = {};
  for (const row of rows) {
    const g = median(row.git.map((s) => s.ms)) / 1000;
    const s = median(row.skiff.map((x) => x.ms)) / 1000;
    const inProcess = median(row.skiff.map((x) => x.inProcessMs ?? 0)) / 1000;
    const gitRss = Math.max(...row.git.map((x) => x.rssKb ?? 0)) / 1024;
    const skiffRss = Math.max(...row.skiff.map((x) => x.rssKb ?? 0)) / 1024;
    console.log(
      [
        row.name.padEnd(24),
        g.toFixed(3).padStart(6),
        s.toFixed(3).padStart(8),
        inProcess.toFixed(3).padStart(12),
        (s / g).toFixed(2).padStart(6),
        gitRss.toFixed(0).padStart(11),
        skiffRss.toFixed(0).padStart(13),
      ].join(" "),
    );
    report[row.name] = {
      gitSeconds: g,
      skiffSeconds: s,
      skiffInProcessSeconds: inProcess,
      ratio: s / g,
      gitRssMb: gitRss,
      skiffRssMb: skiffRss,
    };
  }
  console.log(JSON.stringify(report));
}

const work = await Deno.makeTempDir({ prefix: "skiff-bench-git-" });
try {
  await main(work);
} finally {
  await Deno.remove(work, { recursive: true }).catch(() => {});
}
