// `skiff status` and `skiff reconcile` against a running agent's HTTP API.
import assert from "node:assert/strict";
import { main } from "../../main.ts";
import { appsConfig, configMap, e2eOpts as opts, eventually, startWorld } from "./harness.ts";

async function capture(run: () => Promise<number>): Promise<{ code: number; out: string }> {
  const chunks: string[] = [];
  const write = Deno.stdout.writeSync;
  const log = console.log;
  Deno.stdout.writeSync = (p: Uint8Array) => (chunks.push(new TextDecoder().decode(p)), p.length);
  console.log = (...a: unknown[]) => chunks.push(a.join(" ") + "\n");
  try {
    return { code: await run(), out: chunks.join("") };
  } finally {
    Deno.stdout.writeSync = write;
    console.log = log;
  }
}

Deno.test("skiff status prints a table; skiff reconcile runs an object now", opts, async () => {
  const world = await startWorld(
    { "apps/a.yaml": configMap("a", { v: "1" }) },
    (url) => appsConfig(url, "1h"),
  );
  try {
    const agent = await world.startAgent();
    const url = `http://127.0.0.1:${agent.port}`;
    const key = "Kustomization/flux-system/apps";
    await eventually("synced", () => agent.core.statuses.get(key)?.ready === "True", 15_000);
    const status = await capture(() => main(["status", "--agent-url", url]));
    assert.equal(status.code, 0);
    assert.match(status.out, /^NAME\s+NAMESPACE\s+REVISION\s+SUSPENDED\s+READY\s+MESSAGE/);
    assert.match(
      status.out,
      /Kustomization\/apps\s+flux-system\s+main@sha1:[0-9a-f]{40}\s+False\s+True\s+Applied revision/,
    );

    await world.repo.commit({ "apps/a.yaml": configMap("a", { v: "2" }) });
    const runs = agent.core.statuses.get(key)!.history.length;
    const requested = await capture(() =>
      main(["reconcile", "apps", "--with-source", "--agent-url", url])
    );
    assert.equal(requested.code, 0);
    assert.match(requested.out, /reconcile requested for Kustomization\/flux-system\/apps/);
    await eventually(
      "new commit applied",
      () =>
        (world.api.store.get("v1", "ConfigMap", "a", "default")?.data as Record<string, string>)
          .v === "2",
      10_000,
    );
    assert.ok(agent.core.statuses.get(key)!.history.length > runs);
    assert.equal(await main(["reconcile", "nope", "--agent-url", url]), 1);
    assert.equal(await main(["status", "--agent-url", "http://127.0.0.1:1"]), 2);
  } finally {
    await world.stop();
  }
});
