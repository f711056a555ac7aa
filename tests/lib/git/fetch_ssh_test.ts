// Git over SSH (ssh2 inside skiff) against Debian's OpenSSH server on a loopback port.
import assert from "node:assert/strict";
import { checkout, commitAndPush, fetchGitArtifact } from "../../../lib/git/mod.ts";
import { createRepo, git } from "../../support/git_server.ts";
import { tempDir } from "../../support/process.ts";
import { makeSshKey, startSshd } from "../../support/sshd.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

async function setup(options: { encryptedRsa?: boolean } = {}) {
  const tmp = await tempDir("skiff-ssh-");
  const client = await makeSshKey(tmp.path, { name: "client" });
  // RSA key generation is slow: only the test that needs it makes one.
  const encrypted = options.encryptedRsa
    ? await makeSshKey(tmp.path, { name: "client_rsa", type: "rsa", passphrase: "s3cret-pass" })
    : undefined;
  const stranger = await makeSshKey(tmp.path, { name: "stranger" });
  const sshd = await startSshd({
    dir: tmp.path,
    authorizedKeys: [client.publicKey, ...(encrypted ? [encrypted.publicKey] : [])],
  });
  const repo = await createRepo(tmp.path, "fleet", { "apps/a.yaml": "a: 1\n" });
  return {
    sshd,
    repo,
    client,
    encrypted,
    stranger,
    cacheDir: `${tmp.path}/cache`,
    url: `ssh://${sshd.user}@127.0.0.1:${sshd.port}${repo.bare}`,
    async [Symbol.asyncDispose]() {
      await sshd.stop();
      await tmp.remove();
    },
  };
}

Deno.test("fetches over ssh:// with an identity and a verified host key", opts, async () => {
  await using env = await setup();
  const head = await env.repo.git("rev-parse", "HEAD");
  const secret = { identity: env.client.privateKey, known_hosts: env.sshd.knownHosts };
  const artifact = await fetchGitArtifact(
    { url: env.url, ref: { branch: "main" }, secret },
    env.cacheDir,
  );
  assert.equal(artifact.revision, `main@sha1:${head}`);
  assert.equal(await Deno.readTextFile(`${artifact.dir}/apps/a.yaml`), "a: 1\n");
  // A second commit arrives through an incremental fetch over SSH.
  const next = await env.repo.commit({ "apps/a.yaml": "a: 2\n" });
  const updated = await fetchGitArtifact(
    { url: env.url, ref: { branch: "main" }, secret },
    env.cacheDir,
  );
  assert.equal(updated.revision, `main@sha1:${next}`);
  assert.equal(await Deno.readTextFile(`${updated.dir}/apps/a.yaml`), "a: 2\n");
});

Deno.test("an encrypted RSA identity works with its passphrase", opts, async () => {
  await using env = await setup({ encryptedRsa: true });
  const artifact = await fetchGitArtifact({
    url: env.url,
    ref: { branch: "main" },
    secret: {
      identity: env.encrypted!.privateKey,
      password: "s3cret-pass",
      known_hosts: env.sshd.knownHosts,
    },
  }, env.cacheDir);
  assert.match(artifact.revision, /^main@sha1:/);
});

Deno.test("an unknown or different host key is refused", opts, async () => {
  await using env = await setup();
  const wrongKey = `[127.0.0.1]:${env.sshd.port} ${
    env.stranger.publicKey.split(" ").slice(0, 2).join(" ")
  }`;
  const mismatch = await fetchGitArtifact({
    url: env.url,
    ref: { branch: "main" },
    secret: { identity: env.client.privateKey, known_hosts: wrongKey },
  }, env.cacheDir).catch((e) => e);
  assert.equal(mismatch.reason, "HostKeyMismatch");
  assert.match(mismatch.message, /does not match known_hosts/);
  const unknown = await fetchGitArtifact({
    url: env.url,
    ref: { branch: "main" },
    secret: { identity: env.client.privateKey, known_hosts: "example.com ssh-ed25519 AAAA" },
  }, env.cacheDir).catch((e) => e);
  assert.equal(unknown.reason, "HostKeyMismatch");
  const none = await fetchGitArtifact({
    url: env.url,
    ref: { branch: "main" },
    secret: { identity: env.client.privateKey },
  }, env.cacheDir).catch((e) => e);
  assert.equal(none.reason, "InvalidSpec");
  assert.match(none.message, /known_hosts/);
});

Deno.test("a key the server does not know is AuthFailed", opts, async () => {
  await using env = await setup();
  const err = await fetchGitArtifact({
    url: env.url,
    ref: { branch: "main" },
    secret: { identity: env.stranger.privateKey, known_hosts: env.sshd.knownHosts },
  }, env.cacheDir).catch((e) => e);
  assert.equal(err.reason, "AuthFailed");
});

Deno.test("a hashed known_hosts entry is matched", opts, async () => {
  await using env = await setup();
  const file = `${env.cacheDir}-known_hosts`;
  await Deno.writeTextFile(file, env.sshd.knownHosts + "\n");
  const { code } = await new Deno.Command("ssh-keygen", {
    args: ["-H", "-f", file],
    stdout: "null",
    stderr: "null",
  }).output();
  assert.equal(code, 0);
  const hashed = await Deno.readTextFile(file);
  assert.match(hashed, /^\|1\|/);
  const artifact = await fetchGitArtifact({
    url: env.url,
    ref: { branch: "main" },
    secret: { identity: env.client.privateKey, known_hosts: hashed },
  }, env.cacheDir);
  assert.match(artifact.revision, /^main@sha1:/);
});

Deno.test("checks out and pushes over SSH (git-receive-pack)", opts, async () => {
  await using env = await setup();
  const secret = { identity: env.client.privateKey, known_hosts: env.sshd.knownHosts };
  const wc = await checkout({ url: env.url, branch: "main", secret }, `${env.cacheDir}-wc`);
  await Deno.writeTextFile(`${wc.dir}/apps/a.yaml`, "a: pushed-over-ssh\n");
  const result = await commitAndPush(wc, {
    author: { name: "Skiff Bot", email: "skiff@example.com" },
    message: "over ssh",
  });
  assert.ok(result);
  await git(env.repo.bare, "fsck", "--strict");
  assert.equal(await git(env.repo.bare, "rev-parse", "main"), result.commit);
  assert.equal(await git(env.repo.bare, "show", "main:apps/a.yaml"), "a: pushed-over-ssh");
});
