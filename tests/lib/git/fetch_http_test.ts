// fetchGitArtifact against the real git served by `git http-backend`.
import assert from "node:assert/strict";
import { fetchGitArtifact, GitFetchError } from "../../../lib/git/mod.ts";
import { createRepo, startGitServer } from "../../support/git_server.ts";
import { tempDir } from "../../support/process.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

async function setup(damage?: (path: string, body: Uint8Array) => Uint8Array) {
  const tmp = await tempDir("skiff-git-");
  const root = `${tmp.path}/repos`;
  await Deno.mkdir(root);
  const server = await startGitServer({ root, damage });
  const cacheDir = `${tmp.path}/cache`;
  return {
    root,
    server,
    cacheDir,
    async [Symbol.asyncDispose]() {
      await server.stop();
      await tmp.remove();
    },
  };
}

async function readText(dir: string, path: string): Promise<string> {
  return await Deno.readTextFile(`${dir}/${path}`);
}

Deno.test("fetches a branch into an artifact with Flux's revision format", opts, async () => {
  await using env = await setup();
  const repo = await createRepo(env.root, "fleet", {
    "apps/deploy.yaml": "kind: Deployment\n",
    "README.md": "# fleet\n",
  });
  const head = await repo.git("rev-parse", "HEAD");
  const artifact = await fetchGitArtifact(
    { url: env.server.url("fleet"), ref: { branch: "main" } },
    env.cacheDir,
  );
  assert.equal(artifact.revision, `main@sha1:${head}`);
  assert.match(artifact.digest, /^sha256:[0-9a-f]{64}$/);
  assert.equal(await readText(artifact.dir, "apps/deploy.yaml"), "kind: Deployment\n");
  assert.equal(artifact.files, 2);
});

Deno.test("an unchanged remote is polled with one ref listing and no fetch", opts, async () => {
  await using env = await setup();
  await createRepo(env.root, "fleet", { "a.yaml": "a: 1\n" });
  const spec = { url: env.server.url("fleet"), ref: { branch: "main" } };
  const first = await fetchGitArtifact(spec, env.cacheDir);
  env.server.requests.length = 0;
  const started = performance.now();
  const second = await fetchGitArtifact(spec, env.cacheDir);
  const elapsed = performance.now() - started;
  assert.deepEqual(second, first);
  assert.deepEqual(env.server.requests, ["GET /fleet.git/info/refs?service=git-upload-pack"]);
  // Typically 6–20 ms; the request list above is the proof, this bound only catches a poll that
  // does real work, with room for a loaded CI machine (bench/git measures the time).
  assert.ok(elapsed < 2_000, `poll took ${elapsed} ms`);
});

Deno.test(
  "a new commit is fetched incrementally and changes revision and digest",
  opts,
  async () => {
    const packSizes: number[] = [];
    await using env = await setup((path, body) => {
      if (path.endsWith("/git-upload-pack")) packSizes.push(body.length);
      return body;
    });
    const big = new Uint8Array(256 * 1024);
    for (let i = 0; i < 4; i++) {
      big.set(crypto.getRandomValues(new Uint8Array(64 * 1024)), i * 65536);
    }
    const repo = await createRepo(env.root, "fleet", {
      "a.yaml": "a: 1\n",
      "b.yaml": "b: 1\n",
      "data.bin": big,
    });
    const spec = { url: env.server.url("fleet"), ref: { branch: "main" } };
    const first = await fetchGitArtifact(spec, env.cacheDir);
    const sha = await repo.commit({ "a.yaml": "a: 2\n" });
    const second = await fetchGitArtifact(spec, env.cacheDir);
    // Only the new commit's objects travel, not the 256 KiB file again.
    assert.equal(packSizes.length, 2);
    assert.ok(packSizes[0] > 256 * 1024);
    assert.ok(packSizes[1] < 4096, `incremental response was ${packSizes[1]} bytes`);
    assert.equal(second.revision, `main@sha1:${sha}`);
    assert.notEqual(second.digest, first.digest);
    assert.equal(await readText(second.dir, "a.yaml"), "a: 2\n");
    assert.equal(await readText(second.dir, "b.yaml"), "b: 1\n");
    // The artifact served until now is left as it was (it is reused two revisions later).
    assert.equal(await readText(first.dir, "a.yaml"), "a: 1\n");
  },
);

Deno.test("a commit touching only ignored files keeps the digest", opts, async () => {
  await using env = await setup();
  const repo = await createRepo(env.root, "fleet", { "a.yaml": "a: 1\n", "logo.png": "x" });
  const spec = { url: env.server.url("fleet"), ref: { branch: "main" } };
  const first = await fetchGitArtifact(spec, env.cacheDir);
  await repo.commit({ "logo.png": "y" });
  const second = await fetchGitArtifact(spec, env.cacheDir);
  assert.notEqual(second.revision, first.revision);
  assert.equal(second.digest, first.digest);
  assert.equal(second.lastUpdateTime, first.lastUpdateTime);
});

Deno.test("tags: lightweight and annotated (peeled to the commit)", opts, async () => {
  await using env = await setup();
  const repo = await createRepo(env.root, "fleet", { "v.txt": "1\n" });
  const c1 = await repo.git("rev-parse", "HEAD");
  await repo.tag("v1.0.0", "release 1.0.0");
  const c2 = await repo.commit({ "v.txt": "2\n" });
  await repo.tag("light");
  const url = env.server.url("fleet");
  const annotated = await fetchGitArtifact({ url, ref: { tag: "v1.0.0" } }, env.cacheDir, {
    key: "a",
  });
  assert.equal(annotated.revision, `v1.0.0@sha1:${c1}`);
  assert.equal(await readText(annotated.dir, "v.txt"), "1\n");
  const light = await fetchGitArtifact({ url, ref: { tag: "light" } }, env.cacheDir, { key: "b" });
  assert.equal(light.revision, `light@sha1:${c2}`);
});

Deno.test("semver picks the highest matching tag, v prefixes allowed", opts, async () => {
  await using env = await setup();
  const repo = await createRepo(env.root, "fleet", { "v.txt": "0\n" });
  const shas: Record<string, string> = {};
  for (const tag of ["v1.0.0", "1.2.0", "v1.3.0-rc.1", "v2.0.0", "not-a-version"]) {
    shas[tag] = await repo.commit({ "v.txt": `${tag}\n` });
    await repo.tag(tag, tag.startsWith("v1") ? `annotated ${tag}` : undefined);
  }
  const url = env.server.url("fleet");
  const a = await fetchGitArtifact({ url, ref: { semver: ">=1.0.0 <2.0.0" } }, env.cacheDir);
  assert.equal(a.revision, `1.2.0@sha1:${shas["1.2.0"]}`);
  const b = await fetchGitArtifact({ url, ref: { semver: "~1.3.0-0" } }, env.cacheDir);
  assert.equal(b.revision, `v1.3.0-rc.1@sha1:${shas["v1.3.0-rc.1"]}`);
  const c = await fetchGitArtifact({ url, ref: { semver: "*" } }, env.cacheDir);
  assert.equal(c.revision, `v2.0.0@sha1:${shas["v2.0.0"]}`);
  const err = await fetchGitArtifact({ url, ref: { semver: ">=3" } }, env.cacheDir).catch((e) => e);
  assert.ok(err instanceof GitFetchError);
  assert.equal(err.reason, "NoMatchingTag");
  // The last good artifact is handed back with the error.
  assert.equal(err.lastArtifact?.revision, c.revision);
});

Deno.test("a pull-request ref by name, with the full ref in the revision", opts, async () => {
  await using env = await setup();
  const repo = await createRepo(env.root, "fleet", { "a.txt": "main\n" });
  await repo.branch("feature");
  const sha = await repo.commit({ "a.txt": "pr\n" });
  await repo.git("push", "--quiet", "origin", "HEAD:refs/pull/42/head");
  const artifact = await fetchGitArtifact(
    { url: env.server.url("fleet"), ref: { name: "refs/pull/42/head" } },
    env.cacheDir,
  );
  assert.equal(artifact.revision, `refs/pull/42/head@sha1:${sha}`);
  assert.equal(await readText(artifact.dir, "a.txt"), "pr\n");
});

Deno.test("a commit deep in history, with and without a branch", opts, async () => {
  await using env = await setup();
  const repo = await createRepo(env.root, "fleet", { "n.txt": "0\n" });
  const old = await repo.commit({ "n.txt": "old\n" });
  for (let i = 1; i <= 3; i++) await repo.commit({ "n.txt": `${i}\n` });
  const url = env.server.url("fleet");
  // A shallow fetch first, as a branch-following source would have done.
  await fetchGitArtifact({ url, ref: { branch: "main" } }, env.cacheDir);
  const withBranch = await fetchGitArtifact(
    { url, ref: { branch: "main", commit: old } },
    env.cacheDir,
  );
  assert.equal(withBranch.revision, `main@sha1:${old}`);
  assert.equal(await readText(withBranch.dir, "n.txt"), "old\n");
  const bare = await fetchGitArtifact({ url, ref: { commit: old } }, env.cacheDir, { key: "c" });
  assert.equal(bare.revision, `sha1:${old}`);
  const missing = await fetchGitArtifact(
    { url, ref: { branch: "main", commit: "0".repeat(40) } },
    env.cacheDir,
    { key: "d" },
  ).catch((e) => e);
  assert.equal(missing.reason, "RefNotFound");
});

Deno.test("a branch force-pushed upstream is followed to its new head", opts, async () => {
  await using env = await setup();
  const repo = await createRepo(env.root, "fleet", { "a.txt": "1\n" });
  await repo.commit({ "a.txt": "2\n" });
  const spec = { url: env.server.url("fleet"), ref: { branch: "main" } };
  await fetchGitArtifact(spec, env.cacheDir);
  await repo.git("reset", "--quiet", "--hard", "HEAD~1");
  const rewritten = await repo.commit({ "a.txt": "rewritten\n" }, "rewrite history");
  const artifact = await fetchGitArtifact(spec, env.cacheDir);
  assert.equal(artifact.revision, `main@sha1:${rewritten}`);
  assert.equal(await readText(artifact.dir, "a.txt"), "rewritten\n");
});

Deno.test("missing branch and tag are RefNotFound naming what exists", opts, async () => {
  await using env = await setup();
  await createRepo(env.root, "fleet");
  const url = env.server.url("fleet");
  const noBranch = await fetchGitArtifact({ url, ref: { branch: "nope" } }, env.cacheDir).catch((
    e,
  ) => e);
  assert.equal(noBranch.reason, "RefNotFound");
  assert.match(noBranch.message, /branch "nope" not found.*branches: main/);
  // No ref at all means Flux's default, branch master.
  const noMaster = await fetchGitArtifact({ url }, env.cacheDir).catch((e) => e);
  assert.match(noMaster.message, /branch "master" not found/);
  const noTag = await fetchGitArtifact({ url, ref: { tag: "v9" } }, env.cacheDir).catch((e) => e);
  assert.equal(noTag.reason, "RefNotFound");
});

Deno.test(
  "ignore rules: defaults, .sourceignore in subdirectories, spec.ignore",
  opts,
  async () => {
    await using env = await setup();
    await createRepo(env.root, "fleet", {
      "apps/a.yaml": "a\n",
      "apps/logo.png": "png",
      "apps/.sourceignore": "*.txt\n",
      "apps/notes.txt": "ignored by apps/.sourceignore\n",
      "notes.txt": "kept: the .sourceignore is scoped to apps/\n",
      ".github/workflows/ci.yaml": "ci\n",
      "docs/guide.md": "docs\n",
      "docs/keep.md": "keep\n",
    });
    const url = env.server.url("fleet");
    const ref = { branch: "main" };
    const defaults = await fetchGitArtifact({ url, ref }, env.cacheDir, { key: "defaults" });
    const list = async (dir: string) => {
      const out: string[] = [];
      const walk = async (d: string, prefix: string) => {
        for await (const e of Deno.readDir(d)) {
          if (e.isDirectory) await walk(`${d}/${e.name}`, `${prefix}${e.name}/`);
          else out.push(prefix + e.name);
        }
      };
      await walk(dir, "");
      return out.sort();
    };
    assert.deepEqual(await list(defaults.dir), [
      "apps/.sourceignore",
      "apps/a.yaml",
      "docs/guide.md",
      "docs/keep.md",
      "notes.txt",
    ]);
    const custom = await fetchGitArtifact(
      { url, ref, ignore: "/docs/\n!/docs/keep.md\n" },
      env.cacheDir,
      { key: "custom" },
    );
    // spec.ignore replaces the defaults (png and .github come back); an ignored directory cannot
    // have files re-included, as in git.
    assert.deepEqual(await list(custom.dir), [
      ".github/workflows/ci.yaml",
      "apps/.sourceignore",
      "apps/a.yaml",
      "apps/logo.png",
      "notes.txt",
    ]);
  },
);

Deno.test("large and executable files survive byte for byte", opts, async () => {
  await using env = await setup();
  const big = new Uint8Array(3 * 1024 * 1024);
  for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;
  const repo = await createRepo(env.root, "fleet", { "blob.bin": big, "run.sh": "#!/bin/sh\n" });
  await Deno.chmod(`${repo.work}/run.sh`, 0o755);
  await repo.commit({}, "make executable");
  const artifact = await fetchGitArtifact(
    { url: env.server.url("fleet"), ref: { branch: "main" } },
    env.cacheDir,
  );
  assert.deepEqual(await Deno.readFile(`${artifact.dir}/blob.bin`), big);
  assert.equal((await Deno.stat(`${artifact.dir}/run.sh`)).mode! & 0o111, 0o111);
  const tooLarge = await fetchGitArtifact(
    { url: env.server.url("fleet"), ref: { branch: "main" } },
    env.cacheDir,
    { key: "small", maxBytes: 1024 * 1024 },
  ).catch((e) => e);
  assert.equal(tooLarge.reason, "TooLarge");
});

Deno.test("spec.include copies another source's files into the artifact", opts, async () => {
  await using env = await setup();
  await createRepo(env.root, "shared", {
    "base/config.yaml": "shared: true\n",
    "other/x.yaml": "x\n",
  });
  await createRepo(env.root, "app", { "app.yaml": "app: true\n" });
  const shared = await fetchGitArtifact(
    { url: env.server.url("shared"), ref: { branch: "main" } },
    env.cacheDir,
  );
  const spec = {
    url: env.server.url("app"),
    ref: { branch: "main" },
    include: [{ artifact: shared, fromPath: "base", toPath: "vendor/shared" }],
  };
  const app = await fetchGitArtifact(spec, env.cacheDir);
  assert.equal(await readText(app.dir, "vendor/shared/config.yaml"), "shared: true\n");
  await assert.rejects(Deno.stat(`${app.dir}/vendor/shared/x.yaml`));
  assert.equal(await readText(app.dir, "app.yaml"), "app: true\n");
  // Same commit, same include: the artifact is reused; a changed include rebuilds it.
  assert.deepEqual(await fetchGitArtifact(spec, env.cacheDir), app);
  const rebuilt = await fetchGitArtifact(
    { ...spec, include: [{ artifact: shared, toPath: "all" }] },
    env.cacheDir,
  );
  assert.notEqual(rebuilt.digest, app.digest);
  assert.equal(await readText(rebuilt.dir, "all/other/x.yaml"), "x\n");
});

Deno.test("credentials in an https URL are used but not stored", opts, async () => {
  await using env = await setup();
  await createRepo(env.root, "fleet");
  const url = env.server.url("fleet").replace("http://", "http://user:in-url-secret@");
  const artifact = await fetchGitArtifact({ url, ref: { branch: "main" } }, env.cacheDir);
  assert.ok(!artifact.url.includes("in-url-secret"));
  const grep = await new Deno.Command("grep", {
    args: ["-r", "-l", "in-url-secret", env.cacheDir],
    stdout: "piped",
  }).output();
  assert.equal(new TextDecoder().decode(grep.stdout), "");
});

Deno.test(
  "a branch reset to an old commit is fetched even though it predates the last one",
  opts,
  async () => {
    await using env = await setup();
    const repo = await createRepo(env.root, "fleet", { "a.txt": "new\n" });
    // A commit dated two days ago on its own branch, later pushed over main.
    await repo.git("switch", "--quiet", "--orphan", "old");
    await Deno.writeTextFile(`${repo.work}/a.txt`, "old\n");
    await repo.git("add", "-A");
    const dated = await new Deno.Command("git", {
      args: ["commit", "--quiet", "-m", "old"],
      cwd: repo.work,
      env: {
        GIT_AUTHOR_NAME: "a",
        GIT_AUTHOR_EMAIL: "a@example.com",
        GIT_COMMITTER_NAME: "a",
        GIT_COMMITTER_EMAIL: "a@example.com",
        GIT_COMMITTER_DATE: new Date(Date.now() - 2 * 86400_000).toISOString(),
        GIT_AUTHOR_DATE: new Date(Date.now() - 2 * 86400_000).toISOString(),
      },
    }).output();
    assert.equal(dated.code, 0);
    const old = await repo.git("rev-parse", "HEAD");
    const spec = { url: env.server.url("fleet"), ref: { branch: "main" } };
    await fetchGitArtifact(spec, env.cacheDir);
    await repo.git("push", "--quiet", "--force", "origin", "old:main");
    env.server.requests.length = 0;
    const artifact = await fetchGitArtifact(spec, env.cacheDir);
    // deepen-since finds nothing that recent; the fetch falls back to depth 1.
    assert.equal(env.server.requests.filter((r) => r.startsWith("POST")).length, 2);
    assert.equal(artifact.revision, `main@sha1:${old}`);
    assert.equal(await readText(artifact.dir, "a.txt"), "old\n");
  },
);

Deno.test(
  "successive artifacts hold exactly each commit's files; the previous one stays intact",
  opts,
  async () => {
    await using env = await setup();
    const repo = await createRepo(env.root, "fleet", {
      "a/one.yaml": "1\n",
      "a/two.yaml": "2\n",
      "b": "a file that becomes a directory\n",
      "c/deep/x.yaml": "x\n",
    });
    const spec = { url: env.server.url("fleet"), ref: { branch: "main" } };
    const list = async (dir: string) => {
      const out: string[] = [];
      const walk = async (d: string, prefix: string) => {
        for await (const e of Deno.readDir(d)) {
          if (e.isDirectory) await walk(`${d}/${e.name}`, `${prefix}${e.name}/`);
          else out.push(`${prefix}${e.name}=${await Deno.readTextFile(`${d}/${e.name}`)}`);
        }
      };
      await walk(dir, "");
      return out.sort();
    };
    const expected = async () => {
      const paths = (await repo.git("ls-tree", "-r", "--name-only", "HEAD")).split("\n");
      const out: string[] = [];
      for (const p of paths) out.push(`${p}=${await repo.git("show", `HEAD:${p}`)}\n`);
      return out.sort();
    };
    const first = await fetchGitArtifact(spec, env.cacheDir);
    assert.deepEqual(await list(first.dir), await expected());
    const firstFiles = await list(first.dir);

    const changes: Record<string, string | null>[] = [
      { "a/two.yaml": null, "b": null, "c/deep/x.yaml": null, "a/three.yaml": "3\n" },
      { "b/inside.yaml": "now a directory\n", "a/one.yaml": "one\n" },
      { "b": "a file again\n", "c/new.yaml": "new\n" },
      { "a/one.yaml": "1\n" },
    ];
    let previous = first;
    let previousFiles = firstFiles;
    for (const change of changes) {
      // A file replacing a directory: the directory goes first in the working clone.
      if (typeof change["b"] === "string") {
        await Deno.remove(`${repo.work}/b`, { recursive: true }).catch(() => {});
      }
      await repo.commit(change);
      const next = await fetchGitArtifact(spec, env.cacheDir);
      assert.notEqual(next.dir, previous.dir);
      assert.deepEqual(await list(next.dir), await expected());
      // The artifact served until now was not touched by building this one.
      assert.deepEqual(await list(previous.dir), previousFiles);
      previous = next;
      previousFiles = await list(next.dir);
    }
  },
);
