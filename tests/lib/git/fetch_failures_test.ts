// Auth, unreachable hosts, damaged packs, timeouts: a clear reason, the last artifact kept.
import assert from "node:assert/strict";
import { fetchGitArtifact, GitFetchError } from "../../../lib/git/mod.ts";
import { Logger } from "../../../lib/log/mod.ts";
import {
  createRepo,
  type GitServerOptions,
  makeTestCertificate,
  startGitServer,
} from "../../support/git_server.ts";
import { freePort, tempDir } from "../../support/process.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

async function setup(options: Omit<GitServerOptions, "root"> = {}) {
  const tmp = await tempDir("skiff-git-");
  const root = `${tmp.path}/repos`;
  await Deno.mkdir(root);
  const server = await startGitServer({ root, ...options });
  const repo = await createRepo(root, "fleet", { "a.yaml": "a: 1\n" });
  return {
    root,
    repo,
    server,
    cacheDir: `${tmp.path}/cache`,
    url: server.url("fleet"),
    async [Symbol.asyncDispose]() {
      await server.stop();
      await tmp.remove();
    },
  };
}

Deno.test("basic auth: right credentials fetch, wrong ones are AuthFailed", opts, async () => {
  await using env = await setup({ auth: { username: "flux", password: "pa55word" } });
  const ok = await fetchGitArtifact({
    url: env.url,
    ref: { branch: "main" },
    secret: { username: "flux", password: "pa55word" },
  }, env.cacheDir);
  assert.match(ok.revision, /^main@sha1:/);
  for (const secret of [{ username: "flux", password: "wrong" }, undefined]) {
    const err = await fetchGitArtifact(
      { url: env.url, ref: { branch: "main" }, secret },
      env.cacheDir,
      { key: "other" },
    ).catch((e) => e);
    assert.ok(err instanceof GitFetchError);
    assert.equal(err.reason, "AuthFailed");
    assert.match(err.message, /HTTP 401/);
  }
});

Deno.test("bearer token auth", opts, async () => {
  await using env = await setup({ auth: { bearerToken: "tok-123456" } });
  const ok = await fetchGitArtifact({
    url: env.url,
    ref: { branch: "main" },
    secret: { bearerToken: "tok-123456" },
  }, env.cacheDir);
  assert.match(ok.revision, /^main@sha1:/);
});

Deno.test("credentials never reach log lines or the cache directory", opts, async () => {
  await using env = await setup({ auth: { username: "flux", password: "pa55word-xyz" } });
  const lines: string[] = [];
  const logger = new Logger({ level: "debug", sink: { write: (l) => lines.push(l) } });
  await fetchGitArtifact(
    {
      url: env.url,
      ref: { branch: "main" },
      secret: { username: "flux", password: "pa55word-xyz" },
    },
    env.cacheDir,
    { logger },
  );
  logger.info(`leak attempt pa55word-xyz ${btoa("flux:pa55word-xyz")}`);
  assert.ok(!lines.join("\n").includes("pa55word-xyz"));
  assert.ok(!lines.join("\n").includes(btoa("flux:pa55word-xyz")));
  const grep = await new Deno.Command("grep", {
    args: ["-r", "-l", "pa55word-xyz", env.cacheDir],
    stdout: "piped",
  }).output();
  assert.equal(new TextDecoder().decode(grep.stdout), "");
});

Deno.test("an unreachable host is Unreachable and keeps the last artifact", opts, async () => {
  await using env = await setup();
  const key = { key: "flux-system/fleet" };
  const good = await fetchGitArtifact({ url: env.url, ref: { branch: "main" } }, env.cacheDir, key);
  const deadUrl = `http://127.0.0.1:${freePort()}/fleet.git`;
  const err = await fetchGitArtifact({ url: deadUrl, ref: { branch: "main" } }, env.cacheDir, key)
    .catch((e) => e);
  assert.equal(err.reason, "Unreachable");
  assert.deepEqual(err.lastArtifact, good);
  assert.equal(await Deno.readTextFile(`${good.dir}/a.yaml`), "a: 1\n");
});

Deno.test(
  "a truncated pack is CorruptPack; the cache recovers on the next fetch",
  opts,
  async () => {
    let damage = true;
    await using env = await setup({
      damage: (path, body) =>
        damage && path.endsWith("/git-upload-pack") ? body.subarray(0, body.length - 200) : body,
    });
    await env.repo.commit({ "big.txt": "x".repeat(5000) + Math.random() });
    const err = await fetchGitArtifact({ url: env.url, ref: { branch: "main" } }, env.cacheDir)
      .catch((e) => e);
    assert.ok(err instanceof GitFetchError, String(err));
    assert.equal(err.reason, "CorruptPack", err.message);
    damage = false;
    const ok = await fetchGitArtifact({ url: env.url, ref: { branch: "main" } }, env.cacheDir);
    assert.match(ok.revision, /^main@sha1:/);
  },
);

Deno.test("a corrupted pack (flipped bytes) is CorruptPack", opts, async () => {
  await using env = await setup({
    damage: (path, body) => {
      if (!path.endsWith("/git-upload-pack")) return body;
      const copy = body.slice();
      for (let i = Math.floor(copy.length / 2); i < copy.length - 30; i += 7) copy[i] ^= 0x5a;
      return copy;
    },
  });
  await env.repo.commit({ "big.txt": "y".repeat(5000) + Math.random() });
  const err = await fetchGitArtifact({ url: env.url, ref: { branch: "main" } }, env.cacheDir)
    .catch((e) => e);
  assert.ok(err instanceof GitFetchError, String(err));
  assert.equal(err.reason, "CorruptPack", err.message);
});

Deno.test("spec.timeout bounds a fetch from a server that never answers", opts, async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const held: Deno.Conn[] = [];
  (async () => {
    for await (const conn of listener) held.push(conn);
  })().catch(() => {});
  const tmp = await tempDir();
  try {
    const started = Date.now();
    const err = await fetchGitArtifact(
      { url: `http://127.0.0.1:${port}/x.git`, timeout: 300 },
      tmp.path,
    ).catch((e) => e);
    assert.equal(err.reason, "Timeout");
    assert.ok(Date.now() - started < 3000);
  } finally {
    listener.close();
    for (const c of held) c.close();
    await tmp.remove();
  }
});

Deno.test("local repositories by path and file:// URL (air-gapped sites)", opts, async () => {
  await using env = await setup();
  await env.repo.tag("v1.0.0", "annotated");
  await env.repo.git("gc", "--quiet");
  const head = await env.repo.git("rev-parse", "HEAD");
  await env.repo.commit({ "b.yaml": "loose object\n" });
  const byPath = await fetchGitArtifact(
    { url: env.repo.bare, ref: { tag: "v1.0.0" } },
    env.cacheDir,
  );
  assert.equal(byPath.revision, `v1.0.0@sha1:${head}`);
  const byUrl = await fetchGitArtifact(
    { url: `file://${env.repo.work}`, ref: { branch: "main" } },
    env.cacheDir,
  );
  assert.equal(await Deno.readTextFile(`${byUrl.dir}/b.yaml`), "loose object\n");
});

Deno.test("HTTPS with a private CA: refused without ca.crt, fetched with it", opts, async () => {
  const tmp = await tempDir("skiff-tls-");
  const certs = await makeTestCertificate(tmp.path);
  const root = `${tmp.path}/repos`;
  await Deno.mkdir(root);
  const server = await startGitServer({ root, tls: { cert: certs.cert, key: certs.key } });
  try {
    await createRepo(root, "fleet", { "a.yaml": "tls\n" });
    const url = server.url("fleet");
    assert.match(url, /^https:/);
    const untrusted = await fetchGitArtifact({ url, ref: { branch: "main" } }, `${tmp.path}/c`)
      .catch((e) => e);
    assert.equal(untrusted.reason, "Unreachable");
    assert.match(untrusted.message, /certificate/i);
    const trusted = await fetchGitArtifact(
      { url, ref: { branch: "main" }, secret: { "ca.crt": certs.caCert } },
      `${tmp.path}/c`,
    );
    assert.equal(await Deno.readTextFile(`${trusted.dir}/a.yaml`), "tls\n");
  } finally {
    await server.stop();
    await tmp.remove();
  }
});
