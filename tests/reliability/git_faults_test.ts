// Git faults at the library level, against the real git http-backend (tests/support/git_server)
// behind a fault proxy: server down, 500s, 401 after a credential rotation, a truncated pack, a
// force-pushed history and a branch deleted upstream. On each failure the last good artifact is
// still served (GitFetchError.lastArtifact, files intact) and the reason says why; the next good
// state is picked up.
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type Artifact,
  fetchGitArtifact,
  GitFetchError,
  type GitFetchSpec,
} from "../../lib/git/mod.ts";
import { createRepo, startGitServer } from "../support/git_server.ts";
import { freePort, tempDir } from "../support/process.ts";
import { startFaultProxy } from "./fault_proxy.ts";
import { recordScenario } from "./record.ts";
import { TEST_SECRETS } from "./secrets.ts";
import { leakScanner } from "./secrets.ts";

const e2e = { sanitizeResources: false, sanitizeOps: false };

interface Rig {
  spec: GitFetchSpec;
  cache: string;
  commit(files: Record<string, string | null>): Promise<string>;
  repo: Awaited<ReturnType<typeof createRepo>>;
  proxy: Awaited<ReturnType<typeof startFaultProxy>>;
  auth: { username: string; password: string };
  damage: { pack?: (body: Uint8Array) => Uint8Array };
}

async function withRig(body: (rig: Rig) => Promise<void>): Promise<void> {
  const dir = await tempDir("skiff-git-faults-");
  const auth = { username: "fleet-bot", password: TEST_SECRETS.gitPassword };
  const damage: Rig["damage"] = {};
  const server = await startGitServer({
    root: join(dir.path, "git"),
    auth,
    damage: (path, bytes) =>
      path.endsWith("git-upload-pack") && damage.pack ? damage.pack(bytes) : bytes,
  });
  const proxy = await startFaultProxy(new URL(server.url("fleet")).origin);
  try {
    const repo = await createRepo(join(dir.path, "git"), "fleet", { "app/cm.yaml": "v: 1\n" });
    const spec: GitFetchSpec = {
      url: `${proxy.origin}/fleet.git`,
      ref: { branch: "main" },
      secret: { username: auth.username, password: auth.password },
      timeout: 10_000,
    };
    await body({
      spec,
      cache: join(dir.path, "cache"),
      commit: (files) => repo.commit(files),
      repo,
      proxy,
      auth,
      damage,
    });
  } finally {
    await proxy.stop();
    await server.stop();
    await dir.remove();
  }
}

const leaks = leakScanner();

/** Fetch must fail with `reason`, keep serving `good`, and not leak the credentials. */
async function failsKeeping(
  rig: Rig,
  spec: GitFetchSpec,
  good: Artifact,
  reasons: string[],
): Promise<GitFetchError> {
  let error: unknown;
  try {
    await fetchGitArtifact(spec, rig.cache, { key: "flux-system/fleet" });
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof GitFetchError, `expected GitFetchError, got ${error}`);
  assert.ok(reasons.includes(error.reason), `reason ${error.reason}: ${error.message}`);
  assert.equal(error.lastArtifact?.revision, good.revision, "the last good revision is kept");
  assert.equal(
    await Deno.readTextFile(join(error.lastArtifact!.dir, "app/cm.yaml")),
    "v: 1\n",
    "the last good files are intact",
  );
  leaks.scan(`git ${error.reason}`, error.message, String(error.cause ?? ""));
  assert.equal(leaks.found, 0, `credentials leaked in: ${leaks.places.join(", ")}`);
  return error;
}

function fetchOk(rig: Rig, spec = rig.spec): Promise<Artifact> {
  return fetchGitArtifact(spec, rig.cache, { key: "flux-system/fleet" });
}

Deno.test({
  name: "git server down, 500s and a truncated pack: the last good revision stays, reason given",
  ...e2e,
  fn: () =>
    withRig(async (rig) => {
      const good = await fetchOk(rig);
      await rig.commit({ "app/cm.yaml": "v: 2\n" });
      // Down: nothing listens on the address any more.
      const down = { ...rig.spec, url: `http://127.0.0.1:${freePort()}/fleet.git` };
      await failsKeeping(rig, down, good, ["Unreachable"]);
      // 500 on every request.
      rig.proxy.rule = () => new Response("boom\n", { status: 500 });
      await failsKeeping(rig, rig.spec, good, ["GitOperationFailed", "Unreachable"]);
      rig.proxy.rule = undefined;
      // The pack is cut in half.
      rig.damage.pack = (bytes) => bytes.subarray(0, Math.floor(bytes.length / 2));
      await failsKeeping(rig, rig.spec, good, ["CorruptPack", "GitOperationFailed"]);
      rig.damage.pack = undefined;
      // Recovery: the next fetch brings the new commit.
      const next = await fetchOk(rig);
      assert.notEqual(next.revision, good.revision);
      assert.equal(await Deno.readTextFile(join(next.dir, "app/cm.yaml")), "v: 2\n");
      await recordScenario("git-down-500-corrupt", {
        faultsInjected: 2 + rig.proxy.faults,
        secretsLeaked: leaks.found,
      });
    }),
});

Deno.test({
  name: "401 after a credential rotation: AuthFailed, last good kept, no password in errors",
  ...e2e,
  fn: () =>
    withRig(async (rig) => {
      const good = await fetchOk(rig);
      await rig.commit({ "app/cm.yaml": "v: 2\n" });
      rig.auth.password = TEST_SECRETS.rotatedGitPassword; // the server rotated; the Secret did not
      const error = await failsKeeping(rig, rig.spec, good, ["AuthFailed"]);
      assert.ok(!error.message.includes(TEST_SECRETS.gitPassword));
      // The Secret is updated: the fetch recovers.
      const rotated = { ...rig.spec, secret: { ...rig.spec.secret, password: rig.auth.password } };
      const next = await fetchOk(rig, rotated);
      assert.notEqual(next.revision, good.revision);
      await recordScenario("git-auth-rotation", { faultsInjected: 1, secretsLeaked: leaks.found });
    }),
});

Deno.test({
  name: "force-pushed history is followed; a deleted branch keeps the last good revision",
  ...e2e,
  fn: () =>
    withRig(async (rig) => {
      await rig.commit({ "app/cm.yaml": "v: 1\n", "app/extra.yaml": "x: 1\n" });
      const before = await fetchOk(rig);
      // Rewrite history: drop the last commit and push a different one with --force.
      await rig.repo.git("reset", "--hard", "HEAD~1");
      const rewritten = await rig.commit({ "app/other.yaml": "y: 1\n" });
      const after = await fetchOk(rig);
      assert.equal(after.revision, `main@sha1:${rewritten}`);
      assert.notEqual(after.revision, before.revision);
      await assert.rejects(() => Deno.stat(join(after.dir, "app/extra.yaml")));
      // The branch is deleted upstream.
      await rig.repo.branch("keep");
      await rig.repo.git("--git-dir", rig.repo.bare, "symbolic-ref", "HEAD", "refs/heads/keep");
      await rig.repo.git("push", "--quiet", "origin", "--delete", "main");
      await failsKeeping(rig, rig.spec, after, ["RefNotFound"]);
      await recordScenario("git-force-push-branch-deleted", {
        faultsInjected: 2,
        secretsLeaked: leaks.found,
      });
    }),
});
