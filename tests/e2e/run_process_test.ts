// `skiff run` as a process: it syncs, picks up a config change on SIGHUP (adding a
// Kustomization), and exits 0 on SIGTERM.
import assert from "node:assert/strict";
import { freePort } from "../support/process.ts";
import { spawnSkiffRun } from "../support/skiff_process.ts";
import {
  configMap,
  configOf,
  e2eOpts as opts,
  eventually,
  gitRepository,
  kustomization,
  startWorld,
} from "./harness.ts";

Deno.test("skiff run reloads its config on SIGHUP and stops cleanly on SIGTERM", opts, async () => {
  const world = await startWorld(
    { "one/a.yaml": configMap("a", { v: "1" }), "two/b.yaml": configMap("b", { v: "1" }) },
    (url) =>
      configOf(
        gitRepository(url, "1h"),
        kustomization("one", "./one", { targetNamespace: "default" }, "1h"),
      ),
  );
  const port = freePort();
  const child = spawnSkiffRun({
    configPath: world.configPath,
    kubeconfig: world.api.kubeconfigPath,
    address: `127.0.0.1:${port}`,
    cacheDir: `${world.dir}/proc-cache`,
  });
  try {
    const store = world.api.store;
    await eventually("one synced", () => store.get("v1", "ConfigMap", "a", "default"), 30_000);
    await Deno.writeTextFile(
      world.configPath,
      configOf(
        gitRepository(world.repoUrl, "1h"),
        kustomization("one", "./one", { targetNamespace: "default" }, "1h"),
        kustomization("two", "./two", { targetNamespace: "default" }, "1h"),
      ),
    );
    child.kill("SIGHUP");
    await eventually(
      "two synced after reload",
      () => store.get("v1", "ConfigMap", "b", "default"),
      15_000,
    );
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(await health.text(), "ok\n");
    const started = performance.now();
    child.kill("SIGTERM");
    const status = await child.status;
    assert.equal(status.code, 0);
    assert.ok(performance.now() - started < 30_000);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* already exited */ }
    await child.status;
    await world.stop();
  }
});
