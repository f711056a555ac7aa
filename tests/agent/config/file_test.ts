// Reading the config file: what cannot be read at all is a ConfigFileError, not a problem list.
import assert from "node:assert/strict";
import { ConfigFileError, loadConfigFile } from "../../../agent/config/mod.ts";

Deno.test("a missing file says the file does not exist", async () => {
  await assert.rejects(
    () => loadConfigFile("/nonexistent/skiff.yaml"),
    (e: unknown) =>
      e instanceof ConfigFileError &&
      e.message === "config file /nonexistent/skiff.yaml does not exist",
  );
});

Deno.test("a file that is not UTF-8 is refused as unreadable", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/latin1.yaml`;
    await Deno.writeFile(path, new Uint8Array([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xe9, 0x0a]));
    await assert.rejects(
      () => loadConfigFile(path),
      (e: unknown) =>
        e instanceof ConfigFileError && e.message === `config file ${path} is not valid UTF-8 text`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the Agent's namespace is where its Lease lives unless set", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/agent.yaml`;
    await Deno.writeTextFile(
      path,
      "apiVersion: skiff.dev/v1alpha1\nkind: Agent\nspec: {namespace: skiff-system}\n",
    );
    const config = await loadConfigFile(path);
    assert.equal(config.agent.leaderElection.namespace, "skiff-system");
    assert.equal(config.agentObject?.metadata.name, "skiff");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
