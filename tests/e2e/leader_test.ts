// Two `skiff run` processes with leader election: one leads (ready, reconciling), the other
// waits; SIGKILL the leader and the standby takes over within the lease duration; SIGTERM
// makes an agent release its Lease and exit cleanly.
import assert from "node:assert/strict";
import { freePort } from "../support/process.ts";
import { appsConfig, configMap, e2eOpts as opts, eventually, startWorld } from "./harness.ts";

const main = new URL("../../main.ts", import.meta.url).pathname;

function agentDoc(kubeconfig: string): string {
  return `apiVersion: skiff.dev/v1alpha1
kind: Agent
metadata: {name: skiff}
spec:
  cluster: {kubeconfig: ${kubeconfig}}
  leaderElection: {enabled: true, leaseDuration: 3s, renewDeadline: 2s, retryPeriod: 250ms}
`;
}

async function ready(port: number): Promise<boolean> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/readyz`);
    await r.body?.cancel();
    return r.status === 200;
  } catch {
    return false;
  }
}

Deno.test(
  "leader election: only the leader acts; the standby takes over after a kill",
  opts,
  async () => {
    let kubeconfig = "";
    const world = await startWorld(
      { "apps/settings.yaml": configMap("settings", { v: "1" }) },
      (url) => appsConfig(url, "1s"),
    );
    kubeconfig = world.api.kubeconfigPath;
    await Deno.writeTextFile(
      world.configPath,
      agentDoc(kubeconfig) + "---\n" + await Deno.readTextFile(world.configPath),
    );
    const ports = [freePort(), freePort()];
    const spawn = (i: number) =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "--no-check",
          main,
          "--log-level",
          "debug",
          "run",
          "--config",
          world.configPath,
          "--address",
          `127.0.0.1:${ports[i]}`,
          "--cache-dir",
          `${world.dir}/cache-p${i}`,
        ],
        stdout: "null",
        stderr: "piped",
      }).spawn();
    const children = [spawn(0), spawn(1)];
    const stderr = children.map((c) => c.stderr.pipeThrough(new TextDecoderStream()).getReader());
    const logs: string[][] = [[], []];
    stderr.forEach((r, i) =>
      (async () => {
        for (let x = await r.read(); !x.done; x = await r.read()) logs[i].push(x.value);
      })().catch(() => {})
    );
    try {
      await eventually(
        "one leader",
        async () => (await ready(ports[0])) !== (await ready(ports[1])),
        30_000,
        logs[0].concat(logs[1]),
      );
      await eventually(
        "synced",
        () => world.api.store.get("v1", "ConfigMap", "settings", "default"),
        15_000,
      );
      const leader = (await ready(ports[0])) ? 0 : 1;
      const standby = 1 - leader;
      assert.equal(
        await ready(standby === 0 ? ports[0] : ports[1]),
        false,
        "the standby is not ready",
      );

      children[leader].kill("SIGKILL");
      await children[leader].status;
      const killedAt = performance.now();
      await eventually("standby takes over", () => ready(ports[standby]), 10_000);
      const takeover = performance.now() - killedAt;
      console.log(`standby took over ${Math.round(takeover)} ms after the leader was killed`);
      assert.ok(takeover < 3_000 + 2_000, `took over in ${takeover} ms (lease 3 s)`);
      await world.repo.commit({ "apps/settings.yaml": configMap("settings", { v: "2" }) });
      await eventually(
        "new leader syncs",
        () =>
          (world.api.store.get("v1", "ConfigMap", "settings", "default")?.data as Record<
            string,
            string
          >).v === "2",
        15_000,
      );

      const stopping = performance.now();
      children[standby].kill("SIGTERM");
      const status = await children[standby].status;
      assert.equal(status.code, 0, logs[standby].join(""));
      assert.ok(performance.now() - stopping < 30_000);
      const lease = world.api.store.get("coordination.k8s.io/v1", "Lease", "skiff", "flux-system");
      assert.equal(
        (lease?.spec as { holderIdentity?: string }).holderIdentity,
        "",
        "lease released",
      );
    } finally {
      for (const c of children) {
        try {
          c.kill("SIGKILL");
        } catch {
          /* already gone */
        }
        await c.status;
      }
      await world.stop();
    }
  },
);
