// The agent (`skiff run` as a process) killed with SIGKILL at random points of a reconcile, 20
// times with different seeds, each time after a new commit that changes, adds and removes
// objects; then started once more. It must converge on the last commit with the inventory
// intact, nothing orphaned (no owned object that is not in Git) and nothing pruned wrongly (the
// objects that were in Git all along keep their original uid).
import assert from "node:assert/strict";
import { freePort } from "../support/process.ts";
import {
  configMap,
  eventually,
  gitRepository,
  kustomization,
  startWorld,
  type World,
} from "../e2e/harness.ts";
import { recordScenario } from "./record.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };
const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const RUNS = 20;
const CORE = 40;
const OWNER_LABEL = "kustomize.toolkit.fluxcd.io/name";

/** Commit `run`: the core ConfigMaps at version `run`; 10 extras that rotate each run. */
function files(run: number): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (let i = 0; i < CORE; i++) {
    out[`apps/core-${i}.yaml`] = configMap(`core-${i}`, { v: `${run}` });
  }
  for (let j = 0; j < 10; j++) {
    out[`apps/extra-${run % 3}-${j}.yaml`] = configMap(`extra-${run % 3}-${j}`, { v: "x" });
    if (run > 0) out[`apps/extra-${(run - 1) % 3}-${j}.yaml`] = null;
  }
  return out;
}

function expectedNames(run: number): string[] {
  const names = [];
  for (let i = 0; i < CORE; i++) names.push(`core-${i}`);
  for (let j = 0; j < 10; j++) names.push(`extra-${run % 3}-${j}`);
  return names.sort();
}

/** mulberry32: the kill points are reproducible from the seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function spawnAgent(world: World): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--no-check",
      MAIN,
      "run",
      "--config",
      world.configPath,
      "--kubeconfig",
      world.api.kubeconfigPath,
      "--address",
      `127.0.0.1:${freePort()}`,
      "--cache-dir",
      `${world.dir}/agent-cache`,
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
}

function owned(world: World): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of world.api.store.list("v1", "ConfigMap", "default")) {
    const meta = o.metadata as { name: string; uid: string; labels?: Record<string, string> };
    if (meta.labels?.[OWNER_LABEL] === "apps") out.set(meta.name, meta.uid);
  }
  return out;
}

function converged(world: World, run: number): boolean {
  const live = owned(world);
  const names = [...live.keys()].sort();
  if (JSON.stringify(names) !== JSON.stringify(expectedNames(run))) return false;
  const core = world.api.store.get("v1", "ConfigMap", "core-0", "default");
  return (core?.data as Record<string, string> | undefined)?.v === `${run}`;
}

Deno.test(
  "SIGKILL at random points of 20 reconciles: converges, nothing orphaned or lost",
  opts,
  async () => {
    const world = await startWorld(
      Object.fromEntries(Object.entries(files(0)).filter(([, v]) => v !== null)) as Record<
        string,
        string
      >,
      (url) =>
        [
          gitRepository(url, "1h"),
          kustomization("apps", "./apps", { targetNamespace: "default" }, "1h"),
        ].join("---\n"),
    );
    const children: Deno.ChildProcess[] = [];
    try {
      // A first clean sync, so the core objects' uids are known.
      let child = spawnAgent(world);
      children.push(child);
      await eventually("first sync", () => converged(world, 0), 60_000);
      child.kill("SIGKILL");
      await child.status;
      const coreUids = new Map([...owned(world)].filter(([name]) => name.startsWith("core-")));

      let killedMidApply = 0;
      for (let run = 1; run <= RUNS; run++) {
        const draw = random(run);
        await world.repo.commit(files(run), `run ${run}`);
        const writesBefore = world.api.stats.writes;
        child = spawnAgent(world);
        children.push(child);
        // Kill after the reconcile's k-th write (k drawn from the seed), or at once if it is over.
        const k = 1 + Math.floor(draw() * 60);
        await eventually(
          `run ${run}: ${k} writes`,
          () => world.api.stats.writes - writesBefore >= k || converged(world, run),
          60_000,
        );
        if (!converged(world, run)) killedMidApply++;
        child.kill("SIGKILL");
        await child.status;
      }

      child = spawnAgent(world);
      children.push(child);
      await eventually("converged after the last restart", () => converged(world, RUNS), 60_000);
      const live = owned(world);
      // Nothing orphaned: exactly the objects of the last commit are owned.
      assert.deepEqual([...live.keys()].sort(), expectedNames(RUNS));
      // Nothing pruned wrongly: the core objects were never deleted and recreated.
      for (const [name, uid] of coreUids) {
        assert.equal(
          live.get(name),
          uid,
          `${name} was recreated`,
        );
      }
      // The inventory is intact: it lists exactly what is applied.
      await eventually("inventory saved", () => {
        const cm = world.api.store.get(
          "v1",
          "ConfigMap",
          "skiff-ks-flux-system-apps",
          "flux-system",
        );
        if (!cm) return false;
        const ids = (JSON.parse((cm.data as Record<string, string>).inventory) as { id: string }[])
          .map((e) => e.id).sort();
        return JSON.stringify(ids) ===
          JSON.stringify(expectedNames(RUNS).map((n) => `default_${n}__ConfigMap`).sort());
      }, 20_000);
      assert.ok(killedMidApply >= RUNS / 2, `only ${killedMidApply} kills landed mid-apply`);
      await recordScenario("agent-sigkill", {
        faultsInjected: RUNS,
        objectsLost: expectedNames(RUNS).length - live.size,
        note: `${killedMidApply} of ${RUNS} kills mid-apply`,
      });
    } finally {
      for (const c of children) {
        try {
          c.kill("SIGKILL");
        } catch { /* already exited */ }
        await c.status;
      }
      await world.stop();
    }
  },
);
