// `skiff diff` renders and dry-runs exactly as the agent would and never writes: the emulator's
// write counter stays at zero while it reports created, configured, unchanged and pruned.
import assert from "node:assert/strict";
import { diffCommand } from "../../agent/cli/diff.ts";
import { Logger } from "../../lib/log/mod.ts";
import {
  appsConfig,
  configMap,
  deployment,
  e2eOpts as opts,
  eventually,
  startWorld,
} from "./harness.ts";

Deno.test("skiff diff reports drift with exit codes and never writes", opts, async () => {
  const world = await startWorld(
    {
      "apps/web.yaml": deployment("web", 2),
      "apps/settings.yaml": configMap("settings", { a: "1" }),
    },
    (url) => appsConfig(url, "1h"),
  );
  const logger = new Logger({ sink: { write: (l) => world.logs.push(l) } });
  const diff = (name?: string) =>
    diffCommand({
      config: world.configPath,
      name,
      kubeconfig: world.api.kubeconfigPath,
      cacheDir: `${world.dir}/diff-cache`,
      output: "json",
    }, logger);
  const captured: string[] = [];
  const write = Deno.stdout.writeSync;
  const capture = () => {
    Deno.stdout.writeSync = (
      p: Uint8Array,
    ) => (captured.push(new TextDecoder().decode(p)), p.length);
  };
  const restore = () => (Deno.stdout.writeSync = write);
  try {
    const writes = world.api.stats.writes;
    capture();
    let code = await diff();
    restore();
    assert.equal(code, 1, "everything would be created");
    assert.equal(world.api.stats.writes, writes, "diff wrote nothing");
    const report = JSON.parse(captured.join(""));
    assert.deepEqual(
      report[0].changes.map((c: { object: string; action: string }) => `${c.object} ${c.action}`)
        .sort(),
      ["ConfigMap/default/settings created", "Deployment/default/web created"],
    );

    const agent = await world.startAgent();
    await eventually(
      "synced",
      () => agent.core.statuses.get("Kustomization/flux-system/apps")?.ready === "True",
      15_000,
      world.logs,
    );
    await agent.stop();
    assert.equal(await diff("apps"), 0, "in sync");

    await world.repo.commit({ "apps/web.yaml": deployment("web", 5), "apps/settings.yaml": null });
    const before = world.api.stats.writes;
    captured.length = 0;
    capture();
    code = await diff("apps");
    restore();
    assert.equal(code, 1);
    assert.equal(world.api.stats.writes, before, "diff wrote nothing");
    const changes = JSON.parse(captured.join(""))[0].changes as {
      object: string;
      action: string;
      diff?: string;
    }[];
    const web = changes.find((c) => c.object === "Deployment/default/web")!;
    assert.equal(web.action, "configured");
    assert.match(web.diff ?? "", /-\s+replicas: 2\n\+\s+replicas: 5/);
    assert.equal(changes.find((c) => c.object === "ConfigMap/default/settings")?.action, "pruned");
    assert.equal(await diff("nope"), 2, "unknown name is an error");
  } finally {
    restore();
    await world.stop();
  }
});
