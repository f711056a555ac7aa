// spec.verify against signatures made by the real git with gpg (commits and annotated tags).
import assert from "node:assert/strict";
import { fetchGitArtifact } from "../../../lib/git/mod.ts";
import { createRepo, startGitServer } from "../../support/git_server.ts";
import { tempDir } from "../../support/process.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

async function run(cmd: string, args: string[], cwd: string, env: Record<string, string>) {
  const out = await new Deno.Command(cmd, { args, cwd, env, stdout: "piped", stderr: "piped" })
    .output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout).trim();
}

Deno.test(
  "commits and tags signed by git + gpg verify; other keys and modes fail",
  opts,
  async () => {
    const tmp = await tempDir("skiff-verify-");
    const root = `${tmp.path}/repos`;
    await Deno.mkdir(root);
    const server = await startGitServer({ root });
    try {
      const openpgp = await import("openpgp");
      const signer = await openpgp.generateKey({
        type: "ecc",
        curve: "ed25519Legacy",
        userIDs: [{ name: "Release Bot", email: "release@example.com" }],
        format: "armored",
      });
      const stranger = await openpgp.generateKey({
        type: "ecc",
        curve: "ed25519Legacy",
        userIDs: [{ name: "Stranger", email: "stranger@example.com" }],
        format: "armored",
      });
      const gnupg = `${tmp.path}/gnupg`;
      await Deno.mkdir(gnupg, { mode: 0o700 });
      await Deno.writeTextFile(`${tmp.path}/signer.asc`, signer.privateKey);
      const env = {
        GNUPGHOME: gnupg,
        GIT_AUTHOR_NAME: "Release Bot",
        GIT_AUTHOR_EMAIL: "release@example.com",
        GIT_COMMITTER_NAME: "Release Bot",
        GIT_COMMITTER_EMAIL: "release@example.com",
        GIT_CONFIG_GLOBAL: "/dev/null",
      };
      await run("gpg", ["--batch", "--import", `${tmp.path}/signer.asc`], tmp.path, env);
      const key = (await openpgp.readKey({ armoredKey: signer.publicKey })).getFingerprint();

      const repo = await createRepo(root, "fleet", { "a.yaml": "unsigned\n" });
      await Deno.writeTextFile(`${repo.work}/a.yaml`, "signed\n");
      await run("git", ["add", "-A"], repo.work, env);
      await run(
        "git",
        ["-c", `user.signingkey=${key}`, "commit", "-q", "-S", "-m", "signed"],
        repo.work,
        env,
      );
      await run(
        "git",
        ["-c", `user.signingkey=${key}`, "tag", "-s", "v1.0.0", "-m", "v1"],
        repo.work,
        env,
      );
      await run("git", ["push", "-q", "origin", "main", "v1.0.0"], repo.work, env);
      const head = await run("git", ["rev-parse", "HEAD"], repo.work, env);

      const url = server.url("fleet");
      const cache = `${tmp.path}/cache`;
      const publicKeys = [signer.publicKey];
      const commit = await fetchGitArtifact(
        { url, ref: { branch: "main" }, verify: { mode: "HEAD", publicKeys } },
        cache,
        { key: "head" },
      );
      assert.equal(commit.revision, `main@sha1:${head}`);
      const tag = await fetchGitArtifact(
        { url, ref: { tag: "v1.0.0" }, verify: { mode: "TagAndHEAD", publicKeys } },
        cache,
        { key: "tag" },
      );
      assert.equal(tag.revision, `v1.0.0@sha1:${head}`);
      const wrong = await fetchGitArtifact(
        { url, ref: { tag: "v1.0.0" }, verify: { mode: "Tag", publicKeys: [stranger.publicKey] } },
        cache,
        { key: "wrong" },
      ).catch((e) => e);
      assert.equal(wrong.reason, "VerificationFailed");
      assert.match(wrong.message, /tag v1.0.0 is not signed by any of the trusted keys/);
      const branchWithTagMode = await fetchGitArtifact(
        { url, ref: { branch: "main" }, verify: { mode: "Tag", publicKeys } },
        cache,
        { key: "mode" },
      ).catch((e) => e);
      assert.equal(branchWithTagMode.reason, "VerificationFailed");
    } finally {
      await server.stop();
      await tmp.remove();
    }
  },
);
