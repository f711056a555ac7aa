// checkout + commitAndPush against git http-backend, verified with the real git.
import assert from "node:assert/strict";
import { checkout, commitAndPush, fetchGitArtifact } from "../../../lib/git/mod.ts";
import { createRepo, git, startGitServer } from "../../support/git_server.ts";
import { tempDir } from "../../support/process.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };
const author = { name: "Skiff Bot", email: "skiff@example.com" };

async function setup() {
  const tmp = await tempDir("skiff-push-");
  const root = `${tmp.path}/repos`;
  await Deno.mkdir(root);
  const server = await startGitServer({ root, auth: { username: "bot", password: "push-secret" } });
  const repo = await createRepo(root, "fleet", {
    "apps/app.yaml": "image: app:1.0.0\n",
    "README.md": "# fleet\n",
  });
  return {
    tmp: tmp.path,
    repo,
    server,
    spec: {
      url: server.url("fleet"),
      branch: "main",
      secret: { username: "bot", password: "push-secret" },
    },
    async [Symbol.asyncDispose]() {
      await server.stop();
      await tmp.remove();
    },
  };
}

Deno.test("commits a change and pushes it; git fsck and git log agree", opts, async () => {
  await using env = await setup();
  const wc = await checkout(env.spec, `${env.tmp}/wc`);
  assert.equal(wc.head, await env.repo.git("rev-parse", "HEAD"));
  await Deno.writeTextFile(`${wc.dir}/apps/app.yaml`, "image: app:1.1.0\n");
  await Deno.writeTextFile(`${wc.dir}/apps/new.yaml`, "new: true\n");
  await Deno.remove(`${wc.dir}/README.md`);
  const result = await commitAndPush(wc, { author, message: "Update app to 1.1.0" });
  assert.ok(result);
  assert.equal(result.attempts, 1);
  await git(env.repo.bare, "fsck", "--strict");
  assert.equal(await git(env.repo.bare, "rev-parse", "main"), result.commit);
  assert.equal(
    await git(env.repo.bare, "log", "-1", "--format=%an <%ae>|%s", "main"),
    "Skiff Bot <skiff@example.com>|Update app to 1.1.0",
  );
  assert.equal(await git(env.repo.bare, "show", "main:apps/app.yaml"), "image: app:1.1.0");
  assert.equal(await git(env.repo.bare, "show", "main:apps/new.yaml"), "new: true");
  const files = await git(env.repo.bare, "ls-tree", "-r", "--name-only", "main");
  assert.deepEqual(files.split("\n"), ["apps/app.yaml", "apps/new.yaml"]);
  // Nothing changed: nothing to commit.
  assert.equal(await commitAndPush(wc, { author, message: "noop" }), undefined);
});

Deno.test(
  "when the branch moved upstream the change is re-applied on the new head",
  opts,
  async () => {
    await using env = await setup();
    const wc = await checkout(env.spec, `${env.tmp}/wc`);
    const upstream = await env.repo.commit({ "other.yaml": "someone else\n" }, "concurrent");
    await Deno.writeTextFile(`${wc.dir}/apps/app.yaml`, "image: app:2.0.0\n");
    const result = await commitAndPush(wc, { author, message: "Update app to 2.0.0" });
    assert.ok(result);
    await git(env.repo.bare, "fsck", "--strict");
    // Linear history: our commit sits on top of the concurrent one, nothing was forced.
    assert.equal(await git(env.repo.bare, "rev-parse", "main~1"), upstream);
    assert.equal(await git(env.repo.bare, "show", "main:apps/app.yaml"), "image: app:2.0.0");
    assert.equal(await git(env.repo.bare, "show", "main:other.yaml"), "someone else");
  },
);

Deno.test("pushes to another branch, creating it", opts, async () => {
  await using env = await setup();
  const wc = await checkout(env.spec, `${env.tmp}/wc`);
  await Deno.writeTextFile(`${wc.dir}/apps/app.yaml`, "image: app:3.0.0\n");
  const result = await commitAndPush(wc, { author, message: "bump", branch: "image-updates" });
  assert.equal(result?.branch, "image-updates");
  assert.equal(await git(env.repo.bare, "rev-parse", "image-updates"), result?.commit);
  assert.equal(
    await git(env.repo.bare, "rev-parse", "image-updates~1"),
    await git(env.repo.bare, "rev-parse", "main"),
  );
  assert.equal(await git(env.repo.bare, "show", "main:apps/app.yaml"), "image: app:1.0.0");
});

Deno.test("gives up with PushRejected after the retries, never forcing", opts, async () => {
  await using env = await setup();
  await Deno.writeTextFile(
    `${env.repo.bare}/hooks/pre-receive`,
    "#!/bin/sh\necho denied >&2\nexit 1\n",
  );
  await Deno.chmod(`${env.repo.bare}/hooks/pre-receive`, 0o755);
  const before = await git(env.repo.bare, "rev-parse", "main");
  const wc = await checkout(env.spec, `${env.tmp}/wc`);
  await Deno.writeTextFile(`${wc.dir}/apps/app.yaml`, "image: app:9\n");
  const err = await commitAndPush(wc, { author, message: "x" }, { retries: 1 }).catch((e) => e);
  assert.equal(err.reason, "PushRejected", err.message);
  assert.match(err.message, /after 2 attempts/);
  assert.equal(await git(env.repo.bare, "rev-parse", "main"), before);
});

Deno.test("a signed commit verifies with spec.verify and the public key", opts, async () => {
  await using env = await setup();
  const openpgp = await import("openpgp");
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: "ecc",
    curve: "curve25519Legacy",
    userIDs: [{ name: "Skiff Bot", email: "skiff@example.com" }],
    format: "armored",
  });
  const other = await openpgp.generateKey({
    type: "ecc",
    curve: "curve25519Legacy",
    userIDs: [{ name: "Other", email: "other@example.com" }],
    format: "armored",
  });
  const wc = await checkout(env.spec, `${env.tmp}/wc`);
  await Deno.writeTextFile(`${wc.dir}/apps/app.yaml`, "image: app:4.0.0\n");
  const result = await commitAndPush(wc, {
    author,
    message: "signed bump",
    signingKey: { armored: privateKey },
  });
  assert.match(
    await git(env.repo.bare, "cat-file", "commit", result!.commit),
    /gpgsig -----BEGIN PGP SIGNATURE-----/,
  );
  // The real git verifies the signature with gpg.
  const gnupg = `${env.tmp}/gnupg`;
  await Deno.mkdir(gnupg, { mode: 0o700 });
  await Deno.writeTextFile(`${env.tmp}/pub.asc`, publicKey);
  const gpgEnv = { GNUPGHOME: gnupg };
  const imported = await new Deno.Command("gpg", {
    args: ["--batch", "--import", `${env.tmp}/pub.asc`],
    env: gpgEnv,
    stdout: "null",
    stderr: "null",
  }).output();
  assert.equal(imported.code, 0);
  const verifyCommit = await new Deno.Command("git", {
    args: ["verify-commit", result!.commit],
    cwd: env.repo.bare,
    env: gpgEnv,
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(verifyCommit.code, 0, new TextDecoder().decode(verifyCommit.stderr));
  const spec = { url: env.spec.url, ref: { branch: "main" }, secret: env.spec.secret };
  const verified = await fetchGitArtifact(
    { ...spec, verify: { mode: "HEAD", publicKeys: [publicKey] } },
    `${env.tmp}/cache`,
  );
  assert.equal(verified.revision, `main@sha1:${result!.commit}`);
  const wrongKey = await fetchGitArtifact(
    { ...spec, verify: { mode: "HEAD", publicKeys: [other.publicKey] } },
    `${env.tmp}/cache`,
    { key: "other" },
  ).catch((e) => e);
  assert.equal(wrongKey.reason, "VerificationFailed");
  // An unsigned commit fails verification too.
  await env.repo.git("pull", "--quiet", "origin", "main");
  await env.repo.commit({ "x.txt": "unsigned\n" });
  const unsigned = await fetchGitArtifact(
    { ...spec, verify: { mode: "HEAD", publicKeys: [publicKey] } },
    `${env.tmp}/cache`,
  ).catch((e) => e);
  assert.equal(unsigned.reason, "VerificationFailed");
  assert.match(unsigned.message, /is not signed/);
});

Deno.test(
  "an edit that keeps the file size right after checkout is still committed",
  opts,
  async () => {
    await using env = await setup();
    for (let round = 1; round <= 3; round++) {
      const wc = await checkout(env.spec, `${env.tmp}/wc-${round}`);
      // Same length, same second as the checkout: the index's stat data cannot tell.
      const current = await Deno.readTextFile(`${wc.dir}/apps/app.yaml`);
      const bumped = current.replace(/1\.0\.(\d)/, (_, d) => `1.0.${Number(d) + 1}`);
      assert.equal(bumped.length, current.length);
      await Deno.writeTextFile(`${wc.dir}/apps/app.yaml`, bumped);
      const result = await commitAndPush(wc, { author, message: `bump ${round}` });
      assert.ok(result, `round ${round}: the change was not seen`);
      assert.equal(await git(env.repo.bare, "show", "main:apps/app.yaml"), bumped.trim());
    }
  },
);

Deno.test("reapply re-runs the edit on the new head when the branch moved", opts, async () => {
  await using env = await setup();
  const wc = await checkout(env.spec, `${env.tmp}/wc`);
  const bump = async (dir: string) => {
    const text = await Deno.readTextFile(`${dir}/apps/app.yaml`);
    await Deno.writeTextFile(`${dir}/apps/app.yaml`, text.replace(/app:[\d.]+/, "app:5.0.0"));
  };
  await bump(wc.dir);
  // Upstream meanwhile adds a line to the same file.
  await env.repo.commit({ "apps/app.yaml": "image: app:1.0.0\nreplicas: 3\n" }, "scale");
  const result = await commitAndPush(wc, { author, message: "bump" }, { reapply: bump });
  assert.ok(result);
  assert.equal(
    await git(env.repo.bare, "show", "main:apps/app.yaml"),
    "image: app:5.0.0\nreplicas: 3",
  );
  await git(env.repo.bare, "fsck", "--strict");
  // The working copy follows: it holds the pushed content.
  assert.equal(
    await Deno.readTextFile(`${wc.dir}/apps/app.yaml`),
    "image: app:5.0.0\nreplicas: 3\n",
  );
});
