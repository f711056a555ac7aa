// Writing skiff's files into a real Git server (git http-backend): empty repositories, existing
// content, idempotent re-runs, option changes, conflicts and credential errors.
import assert from "node:assert/strict";
import {
  commitBootstrapFiles,
  generateFiles,
  PathConflictError,
  readDeployManifests,
  RepositoryError,
  type RepositorySpec,
} from "../../../agent/bootstrap/mod.ts";
import { createRepo, git, startGitServer } from "../../support/git_server.ts";
import { makeSshKey, startSshd } from "../../support/sshd.ts";

const author = { name: "skiff", email: "skiff@example.com" };
const deploy = await readDeployManifests();

function filesFor(url: string, image = "ghcr.io/skiff-dev/skiff:v0.1.0") {
  return generateFiles({
    url,
    branch: "main",
    path: "clusters/prod",
    namespace: "skiff-system",
    image,
    interval: "1m",
    withCredentials: true,
  }, deploy);
}

async function withServer(
  auth: { username: string; password: string } | undefined,
  body: (root: string, url: (name: string) => string) => Promise<void>,
) {
  const root = await Deno.makeTempDir({ prefix: "skiff-bootstrap-repo-" });
  const server = await startGitServer({ root: `${root}/git`, auth });
  try {
    await body(root, server.url);
  } finally {
    await server.stop();
    await Deno.remove(root, { recursive: true });
  }
}

async function run(spec: RepositorySpec, root: string, files: Map<string, string>) {
  const dir = await Deno.makeTempDir({ dir: root });
  return await commitBootstrapFiles(spec, "clusters/prod", files, dir);
}

Deno.test("an empty repository gets a first commit holding only skiff's files", async () => {
  await withServer(undefined, async (root, url) => {
    await Deno.mkdir(`${root}/git/empty.git`, { recursive: true });
    await git(`${root}/git/empty.git`, "init", "--bare", "--quiet", "--initial-branch=main");
    await git(`${root}/git/empty.git`, "config", "http.receivepack", "true");
    const spec = { url: url("empty"), branch: "main", author };
    const result = await run(spec, root, filesFor(spec.url));
    assert.ok(result.commit);
    assert.equal(result.createdBranch, true);
    const bare = `${root}/git/empty.git`;
    assert.equal(await git(bare, "rev-parse", "main"), result.commit);
    const listed = (await git(bare, "ls-tree", "-r", "--name-only", "main")).split("\n");
    assert.deepEqual(
      listed.sort(),
      [...filesFor(spec.url).keys()].map((f) => `clusters/prod/skiff-system/${f}`).sort(),
    );
    await git(bare, "fsck", "--strict");
    // A second run finds the branch and commits nothing.
    const again = await run(spec, root, filesFor(spec.url));
    assert.equal(again.commit, undefined);
    assert.equal(again.head, result.commit);
  });
});

Deno.test("content under other paths is left untouched; re-runs commit nothing", async () => {
  await withServer(undefined, async (root, url) => {
    const repo = await createRepo(`${root}/git`, "fleet", {
      "README.md": "# fleet\n",
      "apps/web.yaml": "kind: ConfigMap\n",
      "clusters/prod/apps.yaml": "kind: ConfigMap\n",
    });
    const before = await repo.git("rev-parse", "HEAD");
    const spec = { url: url("fleet"), branch: "main", author };
    const first = await run(spec, root, filesFor(spec.url));
    assert.ok(first.commit);
    assert.equal(first.changedFiles.length, 6);
    const bare = repo.bare;
    const changed = await git(bare, "diff", "--name-only", before, "main");
    assert.ok(changed.split("\n").every((p) => p.startsWith("clusters/prod/skiff-system/")));
    assert.equal(await git(bare, "show", "main:apps/web.yaml"), "kind: ConfigMap");
    assert.equal(
      await git(bare, "log", "--format=%an <%ae>", "-1", "main"),
      "skiff <skiff@example.com>",
    );
    await git(bare, "fsck", "--strict");

    const second = await run(spec, root, filesFor(spec.url));
    assert.equal(second.commit, undefined);
    assert.equal(await git(bare, "rev-parse", "main"), first.commit);
  });
});

Deno.test("new options commit only the lines they change", async () => {
  await withServer(undefined, async (root, url) => {
    const repo = await createRepo(`${root}/git`, "fleet");
    const spec = { url: url("fleet"), branch: "main", author };
    const first = await run(spec, root, filesFor(spec.url));
    const second = await run(spec, root, filesFor(spec.url, "ghcr.io/skiff-dev/skiff:v0.2.0"));
    assert.ok(second.commit);
    assert.deepEqual(second.changedFiles, ["clusters/prod/skiff-system/deployment.yaml"]);
    const diff = await git(repo.bare, "diff", "--unified=0", first.commit!, second.commit!);
    const edits = diff.split("\n").filter((l) => /^[-+][^-+]/.test(l));
    assert.deepEqual(edits, [
      "-          image: ghcr.io/skiff-dev/skiff:v0.1.0",
      "+          image: ghcr.io/skiff-dev/skiff:v0.2.0",
    ]);
  });
});

Deno.test("a missing branch is created from the default branch", async () => {
  await withServer(undefined, async (root, url) => {
    const repo = await createRepo(`${root}/git`, "fleet", { "README.md": "# hi\n" });
    const spec = { url: url("fleet"), branch: "production", author };
    const result = await run(spec, root, filesFor(spec.url));
    assert.equal(result.createdBranch, true);
    assert.equal(await git(repo.bare, "rev-parse", "production"), result.commit);
    assert.equal(await git(repo.bare, "show", "production:README.md"), "# hi");
  });
});

Deno.test("a path holding files skiff did not write is refused, naming them", async () => {
  await withServer(undefined, async (root, url) => {
    await createRepo(`${root}/git`, "fleet", {
      "clusters/prod/skiff-system/deployment.yaml": "kind: Deployment # mine\n",
    });
    const spec = { url: url("fleet"), branch: "main", author };
    await assert.rejects(
      () => run(spec, root, filesFor(spec.url)),
      (e: unknown) => {
        assert.ok(e instanceof PathConflictError);
        assert.deepEqual(e.files, ["deployment.yaml"]);
        assert.match(e.message, /clusters\/prod\/skiff-system already holds files .*--path/);
        return true;
      },
    );
  });
});

Deno.test("wrong credentials and an unreachable server say what to check", async () => {
  await withServer({ username: "git", password: "right" }, async (root, url) => {
    await createRepo(`${root}/git`, "fleet");
    const spec = {
      url: url("fleet"),
      branch: "main",
      author,
      secret: { username: "git", password: "wrong" },
      credentialsHint: "--password-env GIT_PASSWORD",
    };
    await assert.rejects(() => run(spec, root, filesFor(spec.url)), (e: unknown) => {
      assert.ok(e instanceof RepositoryError);
      assert.equal(e.reason, "AuthFailed");
      assert.match(e.message, /refused the credentials; check --password-env GIT_PASSWORD/);
      assert.doesNotMatch(e.message, /wrong/);
      return true;
    });
    const ok = await run(
      { ...spec, secret: { username: "git", password: "right" } },
      root,
      filesFor(spec.url),
    );
    assert.ok(ok.commit);
  });
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const root = await Deno.makeTempDir();
  try {
    const url = `http://127.0.0.1:${port}/fleet.git`;
    await assert.rejects(
      () => run({ url, branch: "main", author }, root, filesFor(url)),
      (e: unknown) => {
        assert.ok(e instanceof RepositoryError);
        assert.equal(e.reason, "Unreachable");
        assert.match(e.message, /cannot be reached .*check the URL/);
        return true;
      },
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test(
  "pushes over SSH with a key, checking the host key",
  { sanitizeResources: false, sanitizeOps: false },
  async () => {
    const root = await Deno.makeTempDir({ prefix: "skiff-bootstrap-ssh-" });
    const keys = await makeSshKey(root);
    const sshd = await startSshd({ dir: root, authorizedKeys: [keys.publicKey] });
    try {
      const repo = await createRepo(`${root}/git`, "fleet");
      const url = `ssh://${sshd.user}@127.0.0.1:${sshd.port}${repo.bare}`;
      const secret = { identity: keys.privateKey, known_hosts: sshd.knownHosts };
      const result = await run({ url, branch: "main", author, secret }, root, filesFor(url));
      assert.ok(result.commit);
      assert.equal(await git(repo.bare, "rev-parse", "main"), result.commit);
      const again = await run({ url, branch: "main", author, secret }, root, filesFor(url));
      assert.equal(again.commit, undefined);
    } finally {
      await sshd.stop();
      await Deno.remove(root, { recursive: true });
    }
  },
);
