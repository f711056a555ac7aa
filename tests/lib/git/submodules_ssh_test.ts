// Submodules over SSH: a relative submodule URL of an ssh:// parent is on the same host, so the
// parent's identity is used for it; a pinned commit that is no longer a branch tip is found even
// when the server hands out only tips (the fallback to the default branch's history).
import assert from "node:assert/strict";
import { fetchGitArtifact } from "../../../lib/git/mod.ts";
import { createRepo } from "../../support/git_server.ts";
import { tempDir } from "../../support/process.ts";
import { makeSshKey, startSshd } from "../../support/sshd.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

Deno.test(
  "an ssh:// parent's identity fetches its relative submodules, pinned behind the tip",
  opts,
  async () => {
    const tmp = await tempDir("skiff-ssh-submodules-");
    const client = await makeSshKey(tmp.path, { name: "client" });
    const sshd = await startSshd({ dir: tmp.path, authorizedKeys: [client.publicKey] });
    try {
      const lib = await createRepo(tmp.path, "lib", { "lib.yaml": "lib: 1\n" });
      const app = await createRepo(tmp.path, "app", { "app.yaml": "app\n" });
      await app.git(
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "--quiet",
        "../lib.git",
        "lib",
      );
      await app.commit({}, "pin lib");
      // lib moves on; the pin stays at its first commit, which no ref points at any more.
      await lib.commit({ "lib.yaml": "lib: 2\n" });
      await lib.git("-C", lib.bare, "config", "uploadpack.allowAnySHA1InWant", "false");

      const artifact = await fetchGitArtifact({
        url: `ssh://${sshd.user}@127.0.0.1:${sshd.port}${app.bare}`,
        ref: { branch: "main" },
        secret: { identity: client.privateKey, known_hosts: sshd.knownHosts },
        recurseSubmodules: true,
      }, `${tmp.path}/cache`);
      assert.equal(await Deno.readTextFile(`${artifact.dir}/lib/lib.yaml`), "lib: 1\n");
    } finally {
      await sshd.stop();
      await tmp.remove();
    }
  },
);
