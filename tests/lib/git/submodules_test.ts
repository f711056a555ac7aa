// spec.recurseSubmodules against the real git http-backend, with submodules made by the real
// `git submodule add` (relative URLs, as most repositories record them).
import assert from "node:assert/strict";
import { fetchGitArtifact, GitFetchError } from "../../../lib/git/mod.ts";
import {
  createRepo,
  type GitServer,
  startGitServer,
  type TestRepo,
} from "../../support/git_server.ts";
import { tempDir } from "../../support/process.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

async function setup() {
  const tmp = await tempDir("skiff-submodules-");
  const root = `${tmp.path}/repos`;
  await Deno.mkdir(root);
  const server = await startGitServer({ root });
  return {
    root,
    server,
    cacheDir: `${tmp.path}/cache`,
    async [Symbol.asyncDispose]() {
      await server.stop();
      await tmp.remove();
    },
  };
}

/** `git submodule add <url> <path>` in the parent's working clone, committed and pushed. */
async function addSubmodule(parent: TestRepo, url: string, path: string): Promise<string> {
  // The test repositories are local bare repositories: git refuses file transports for
  // submodules unless told otherwise (CVE-2022-39253).
  await parent.git("-c", "protocol.file.allow=always", "submodule", "add", "--quiet", url, path);
  return await parent.commit({}, `add submodule ${path}`);
}

/** Moves the submodule at `path` of the parent's working clone to its remote's main. */
async function bumpSubmodule(parent: TestRepo, path: string): Promise<string> {
  await parent.git("-C", path, "pull", "--quiet", "origin", "main");
  return await parent.commit({}, `bump ${path}`);
}

/** Paths of the artifact's files (and empty directories, as "dir/"), sorted. */
async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(`${dir}/${prefix}`)) {
    const path = prefix + entry.name;
    if (entry.isDirectory) {
      const inner = await listFiles(dir, `${path}/`);
      out.push(...(inner.length ? inner : [`${path}/`]));
    } else out.push(path);
  }
  return out.sort();
}

/** app → vendor/lib (../lib.git) → deep (../deep.git), all served by `server`. */
async function nestedRepos(root: string) {
  const deep = await createRepo(root, "deep", { "deep.yaml": "deep: 1\n" });
  const lib = await createRepo(root, "lib", {
    "lib.yaml": "lib: 1\n",
    "notes.png": "ignored by Flux's default rules\n",
  });
  await addSubmodule(lib, "../deep.git", "deep");
  const app = await createRepo(root, "app", { "app.yaml": "app: 1\n" });
  await addSubmodule(app, "../lib.git", "vendor/lib");
  return { deep, lib, app };
}

Deno.test(
  "recurseSubmodules puts each submodule's files at its path, recursively, at the recorded commits",
  opts,
  async () => {
    await using env = await setup();
    const { lib } = await nestedRepos(env.root);
    // A later commit of the submodule that the parent does not record yet.
    await lib.commit({ "lib.yaml": "lib: 2\n" });
    const url = env.server.url("app");
    const artifact = await fetchGitArtifact(
      { url, ref: { branch: "main" }, recurseSubmodules: true },
      env.cacheDir,
      { key: "with" },
    );
    assert.deepEqual(await listFiles(artifact.dir), [
      "app.yaml",
      "vendor/lib/deep/deep.yaml",
      "vendor/lib/lib.yaml",
    ]);
    assert.equal(await Deno.readTextFile(`${artifact.dir}/vendor/lib/lib.yaml`), "lib: 1\n");
    assert.equal(artifact.files, 3);

    // Without the flag a submodule is an empty directory, as in Flux, and the digest says so.
    const plain = await fetchGitArtifact(
      { url, ref: { branch: "main" } },
      env.cacheDir,
      { key: "without" },
    );
    assert.deepEqual(await listFiles(plain.dir), ["app.yaml", "vendor/lib/"]);
    assert.equal(plain.files, 1);
    assert.equal(plain.revision, artifact.revision);
    assert.notEqual(plain.digest, artifact.digest);
  },
);

Deno.test(
  "a parent commit that moves a submodule fetches only what is new, and an unchanged poll fetches nothing",
  opts,
  async () => {
    await using env = await setup();
    const { lib, app } = await nestedRepos(env.root);
    const spec = { url: env.server.url("app"), ref: { branch: "main" }, recurseSubmodules: true };
    const first = await fetchGitArtifact(spec, env.cacheDir);

    env.server.requests.length = 0;
    const again = await fetchGitArtifact(spec, env.cacheDir);
    assert.deepEqual(again, first);
    assert.deepEqual(env.server.requests, ["GET /app.git/info/refs?service=git-upload-pack"]);

    await lib.commit({ "lib.yaml": "lib: 2\n" });
    const head = await bumpSubmodule(app, "vendor/lib");
    env.server.requests.length = 0;
    const second = await fetchGitArtifact(spec, env.cacheDir);
    assert.equal(second.revision, `main@sha1:${head}`);
    assert.notEqual(second.digest, first.digest);
    assert.equal(await Deno.readTextFile(`${second.dir}/vendor/lib/lib.yaml`), "lib: 2\n");
    assert.equal(await Deno.readTextFile(`${second.dir}/vendor/lib/deep/deep.yaml`), "deep: 1\n");
    // deep did not move: its objects were in the cache, no request for it.
    assert.ok(
      !env.server.requests.some((r) => r.includes("/deep.git/")),
      env.server.requests.join(),
    );
    assert.ok(env.server.requests.includes("POST /lib.git/git-upload-pack"));
  },
);

Deno.test("ignore rules apply inside submodules, .sourceignore files included", opts, async () => {
  await using env = await setup();
  const lib = await createRepo(env.root, "lib", {
    "keep.yaml": "keep\n",
    "drafts/wip.yaml": "wip\n",
    ".sourceignore": "drafts/\n",
    "logo.png": "png\n",
  });
  const app = await createRepo(env.root, "app", { "app.yaml": "app\n" });
  await addSubmodule(app, "../lib.git", "lib");
  void lib;
  const artifact = await fetchGitArtifact(
    { url: env.server.url("app"), ref: { branch: "main" }, recurseSubmodules: true },
    env.cacheDir,
  );
  assert.deepEqual(await listFiles(artifact.dir), [
    "app.yaml",
    "lib/.sourceignore",
    "lib/keep.yaml",
  ]);
});

Deno.test(
  "the parent's credentials go to submodules on its origin, and only there",
  opts,
  async () => {
    await using env = await setup();
    const auth = { username: "flux", password: "s3cret-pass" };
    const privateRoot = `${env.root}/private`;
    await Deno.mkdir(privateRoot);
    const guarded: GitServer = await startGitServer({ root: privateRoot, auth });
    const other: GitServer = await startGitServer({ root: env.root, auth });
    try {
      await createRepo(privateRoot, "lib", { "lib.yaml": "lib\n" });
      const app = await createRepo(privateRoot, "app", { "app.yaml": "app\n" });
      await addSubmodule(app, "../lib.git", "lib");
      const ok = await fetchGitArtifact(
        { url: guarded.url("app"), ref: { branch: "main" }, secret: auth, recurseSubmodules: true },
        env.cacheDir,
        { key: "same-origin" },
      );
      assert.equal(await Deno.readTextFile(`${ok.dir}/lib/lib.yaml`), "lib\n");

      // A submodule on another server (another port: another origin) gets no credentials.
      await createRepo(env.root, "elsewhere", { "x.yaml": "x\n" });
      const foreign = await createRepo(privateRoot, "foreign", { "f.yaml": "f\n" });
      await foreign.git(
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "--quiet",
        `${env.root}/elsewhere.git`,
        "x",
      );
      await foreign.git("config", "-f", ".gitmodules", "submodule.x.url", other.url("elsewhere"));
      await foreign.commit({});
      const error = await fetchGitArtifact(
        {
          url: guarded.url("foreign"),
          ref: { branch: "main" },
          secret: auth,
          recurseSubmodules: true,
        },
        env.cacheDir,
        { key: "other-origin" },
      ).catch((e) => e);
      assert.ok(error instanceof GitFetchError);
      assert.equal(error.reason, "AuthFailed");
      assert.ok(
        error.message.includes(`submodule "x" (${other.url("elsewhere")})`),
        error.message,
      );
    } finally {
      await guarded.stop();
      await other.stop();
    }
  },
);

Deno.test(
  "a recorded commit the submodule's server does not have names path, URL and commit, and the last artifact stays",
  opts,
  async () => {
    await using env = await setup();
    await createRepo(env.root, "lib", { "lib.yaml": "lib\n" });
    const app = await createRepo(env.root, "app", { "app.yaml": "app\n" });
    await addSubmodule(app, "../lib.git", "vendor/lib");
    const spec = { url: env.server.url("app"), ref: { branch: "main" }, recurseSubmodules: true };
    const good = await fetchGitArtifact(spec, env.cacheDir);
    const missing = "1234567890abcdef1234567890abcdef12345678";
    await app.git("update-index", "--cacheinfo", `160000,${missing},vendor/lib`);
    await app.git("commit", "--quiet", "-m", "point at a commit that does not exist");
    await app.git("push", "--quiet", "origin", "main");
    const error = await fetchGitArtifact(spec, env.cacheDir).catch((e) => e);
    assert.ok(error instanceof GitFetchError);
    assert.equal(error.reason, "RefNotFound");
    assert.match(error.message, /submodule "vendor\/lib" \(http:\/\/127\.0\.0\.1:\d+\/lib\.git\)/);
    assert.ok(error.message.includes(missing), error.message);
    // The consumers keep the last good artifact, untouched.
    assert.deepEqual(error.lastArtifact, good);
    assert.equal(await Deno.readTextFile(`${good.dir}/vendor/lib/lib.yaml`), "lib\n");
  },
);

/** A parent whose .gitmodules is written by hand, with a gitlink at `vendor/x`. */
async function handWritten(root: string, gitmodules: string): Promise<TestRepo> {
  const lib = await createRepo(root, "lib", { "lib.yaml": "lib\n" });
  const commit = await lib.git("rev-parse", "HEAD");
  const app = await createRepo(root, "app", { ".gitmodules": gitmodules });
  await app.git("update-index", "--add", "--cacheinfo", `160000,${commit},vendor/x`);
  await app.git("commit", "--quiet", "-m", "gitlink");
  await app.git("push", "--quiet", "origin", "main");
  return app;
}

Deno.test(
  "a remote repository's submodule may not use local paths, file:// or ext::",
  opts,
  async () => {
    await using env = await setup();
    const cases: [string, RegExp][] = [
      [`${env.root}/lib.git`, /points into the local file system/],
      [`file://${env.root}/lib.git`, /points into the local file system/],
      ["ext::sh -c touch% /tmp/pwned", /transport "ext::", which is not allowed/],
      ["-uhello", /starts with '-'/],
    ];
    for (const [i, [url, expected]] of cases.entries()) {
      const root = `${env.root}/case${i}`;
      await Deno.mkdir(root);
      await handWritten(root, `[submodule "x"]\n\tpath = vendor/x\n\turl = ${url}\n`);
      const error = await fetchGitArtifact(
        { url: env.server.url(`case${i}/app`), ref: { branch: "main" }, recurseSubmodules: true },
        env.cacheDir,
        { key: `case${i}` },
      ).catch((e) => e);
      assert.ok(error instanceof GitFetchError, String(error));
      assert.ok(error.message.includes(`submodule "vendor/x": url "${url}"`), error.message);
      assert.match(error.message, expected);
    }
  },
);

Deno.test("a .gitmodules path that leaves the repository is refused", opts, async () => {
  await using env = await setup();
  await handWritten(
    env.root,
    `[submodule "x"]\n\tpath = vendor/x\n\turl = ../lib.git\n` +
      `[submodule "evil"]\n\tpath = ../../outside\n\turl = ../lib.git\n`,
  );
  const error = await fetchGitArtifact(
    { url: env.server.url("app"), ref: { branch: "main" }, recurseSubmodules: true },
    env.cacheDir,
  ).catch((e) => e);
  assert.ok(error instanceof GitFetchError);
  assert.match(
    error.message,
    /submodule "evil": path "\.\.\/\.\.\/outside" in \.gitmodules leaves/,
  );
});

Deno.test("a gitlink with no .gitmodules entry names its path", opts, async () => {
  await using env = await setup();
  await handWritten(env.root, `[submodule "other"]\n\tpath = elsewhere\n\turl = ../lib.git\n`);
  const error = await fetchGitArtifact(
    { url: env.server.url("app"), ref: { branch: "main" }, recurseSubmodules: true },
    env.cacheDir,
  ).catch((e) => e);
  assert.match(error.message, /submodule "vendor\/x": no url for this path in \.gitmodules/);
});

Deno.test("a local parent (a path on disk) may have local submodules", opts, async () => {
  await using env = await setup();
  await nestedRepos(env.root);
  const artifact = await fetchGitArtifact(
    { url: `${env.root}/app.git`, ref: { branch: "main" }, recurseSubmodules: true },
    env.cacheDir,
  );
  assert.deepEqual(await listFiles(artifact.dir), [
    "app.yaml",
    "vendor/lib/deep/deep.yaml",
    "vendor/lib/lib.yaml",
  ]);
  assert.deepEqual(env.server.requests, []);
});

Deno.test(
  "turning recurseSubmodules on and off updates the artifact in place both ways",
  opts,
  async () => {
    await using env = await setup();
    await nestedRepos(env.root);
    const url = env.server.url("app");
    const expected = {
      on: ["app.yaml", "vendor/lib/deep/deep.yaml", "vendor/lib/lib.yaml"],
      off: ["app.yaml", "vendor/lib/"],
    };
    const digests = new Map<string, string>();
    // Four rounds: each slot of the cache goes from one shape to the other once.
    for (const recurse of [false, true, false, true, false]) {
      const artifact = await fetchGitArtifact(
        { url, ref: { branch: "main" }, recurseSubmodules: recurse },
        env.cacheDir,
        { key: "toggled" },
      );
      const shape = recurse ? "on" : "off";
      assert.deepEqual(await listFiles(artifact.dir), expected[shape], `recurse ${recurse}`);
      if (digests.has(shape)) assert.equal(artifact.digest, digests.get(shape));
      digests.set(shape, artifact.digest);
    }
  },
);

Deno.test(
  "a submodule removed from the repository leaves no objects in the cache",
  opts,
  async () => {
    await using env = await setup();
    const { app } = await nestedRepos(env.root);
    const spec = { url: env.server.url("app"), ref: { branch: "main" }, recurseSubmodules: true };
    const modules = async () => {
      const [source] = await Array.fromAsync(Deno.readDir(`${env.cacheDir}/git`));
      const dir = `${env.cacheDir}/git/${source.name}/modules`;
      return (await Array.fromAsync(Deno.readDir(dir))).map((e) =>
        e.name.replace(/-[0-9a-f]{8}\.git$/, "")
      )
        .sort();
    };
    await fetchGitArtifact(spec, env.cacheDir);
    const stores = await modules();
    assert.equal(stores.length, 2);
    assert.ok(stores[0].endsWith("deep.git") && stores[1].endsWith("lib.git"), stores.join());

    await app.git("rm", "--quiet", "vendor/lib");
    await app.commit({}, "drop lib");
    const artifact = await fetchGitArtifact(spec, env.cacheDir);
    assert.deepEqual(await listFiles(artifact.dir), ["app.yaml"]);
    assert.deepEqual(await modules(), []);
  },
);
