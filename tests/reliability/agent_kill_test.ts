// The agent (`skiff run` as a process) killed with SIGKILL at seeded points of 20 reconciles,
// each after a commit that changes the core objects and rotates the extras (each run adds 3,
// and the 3 added two runs earlier leave Git, possibly created by an apply that was killed
// before its inventory was saved); then started once more, and then a commit removes objects.
// It must converge with the inventory intact, nothing orphaned (no owned object that is not in
// Git) and nothing pruned wrongly (objects in Git all along keep their uid).
import assert from "node:assert/strict";
import { freePort } from "../support/process.ts";
import { spawnSkiffRun } from "../support/skiff_process.ts";
import {
  configMap,
  eventually,
  gitRepository,
  kustomization,
  startWorld,
  type World,
} from "../e2e/harness.ts";
import { recordScenario } from "./record.ts";
import { mulberry32 } from "../support/mulberry32.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };
const RUNS = 20;
const CORE = 40;
const OWNER_LABEL = "kustomize.toolkit.fluxcd.io/name";

/** Extras stay in Git for this many runs, so each run removes the extras of run - WINDOW. */
const WINDOW = 2;

/**
 * Commit `run`: the core ConfigMaps at version `run`, plus 3 extras for each of the last WINDOW
 * runs. An extra created by an apply killed before its inventory was saved may leave Git before
 * the next successful apply: the pending inventory (stored before the first write) must still
 * get it pruned.
 */
function files(run: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < CORE; i++) {
    out[`apps/core-${i}.yaml`] = configMap(`core-${i}`, { v: `${run}` });
  }
  for (let r = Math.max(0, run - WINDOW + 1); r <= run; r++) {
    for (let j = 0; j < 3; j++) {
      out[`apps/extra-${r}-${j}.yaml`] = configMap(`extra-${r}-${j}`, {});
    }
  }
  return out;
}

/** The extras of run - WINDOW, deleted by the commit of `run`. */
function leaving(run: number): Record<string, null> {
  const out: Record<string, null> = {};
  if (run < WINDOW) return out;
  for (let j = 0; j < 3; j++) out[`apps/extra-${run - WINDOW}-${j}.yaml`] = null;
  return out;
}

/** The objects in Git after `run`, without the extras of the runs in `removed`. */
function expectedNames(run: number, removed = new Set<number>()): string[] {
  const names = [];
  for (let i = 0; i < CORE; i++) names.push(`core-${i}`);
  for (let r = Math.max(0, run - WINDOW + 1); r <= run; r++) {
    if (removed.has(r)) continue;
    for (let j = 0; j < 3; j++) names.push(`extra-${r}-${j}`);
  }
  return names.sort();
}

function spawnAgent(world: World): Deno.ChildProcess {
  return spawnSkiffRun({
    configPath: world.configPath,
    kubeconfig: world.api.kubeconfigPath,
    address: `127.0.0.1:${freePort()}`,
    cacheDir: `${world.dir}/agent-cache`,
  });
}

/** Name → uid of the ConfigMaps the Kustomization owns (by its labels). */
function owned(world: World): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of world.api.store.list("v1", "ConfigMap", "default")) {
    const meta = o.metadata as { name: string; uid: string; labels?: Record<string, string> };
    if (meta.labels?.[OWNER_LABEL] === "apps") out.set(meta.name, meta.uid);
  }
  return out;
}

function converged(world: World, run: number, removed = new Set<number>()): boolean {
  const names = [...owned(world).keys()].sort();
  if (JSON.stringify(names) !== JSON.stringify(expectedNames(run, removed))) return false;
  const core = world.api.store.get("v1", "ConfigMap", "core-0", "default");
  return (core?.data as Record<string, string> | undefined)?.v === `${run}`;
}

function inventoryIds(world: World): string[] | undefined {
  const cm = world.api.store.get("v1", "ConfigMap", "skiff-ks-flux-system-apps", "flux-system");
  if (!cm) return undefined;
  const entries = JSON.parse((cm.data as Record<string, string>).inventory) as { id: string }[];
  return entries.map((e) => e.id).sort();
}

/** Whether the stored inventory is a pending one (an apply was killed after recording it). */
function inventoryPending(world: World): boolean {
  const cm = world.api.store.get("v1", "ConfigMap", "skiff-ks-flux-system-apps", "flux-system");
  return (cm?.data as Record<string, string> | undefined)?.pending === "true";
}

Deno.test(
  "SIGKILL in 20 reconciles rotating objects: converges, inventory intact, nothing orphaned",
  opts,
  async () => {
    const world = await startWorld(
      files(0),
      (url) =>
        [
          gitRepository(url, "1h"),
          kustomization("apps", "./apps", { targetNamespace: "default" }, "1h"),
        ].join("---\n"),
    );
    const children: Deno.ChildProcess[] = [];
    const start = () => {
      const child = spawnAgent(world);
      children.push(child);
      return Promise.resolve(child);
    };
    const kill = async (child: Deno.ChildProcess) => {
      child.kill("SIGKILL");
      await child.status;
    };
    try {
      // A first clean sync, so the core objects' uids are known.
      await kill(
        await start().then(async (c) => {
          await eventually("first sync", () => converged(world, 0), 60_000);
          return c;
        }),
      );
      const coreUids = new Map([...owned(world)].filter(([name]) => name.startsWith("core-")));

      // Slowed object writes (not the inventory's namespace) widen the window between creating
      // objects and saving the inventory, so more seeded kills land inside an apply.
      world.api.faults.latency(30, { verb: "patch", namespace: "default" });
      let killedMidApply = 0;
      let leftPending = 0;
      for (let run = 1; run <= RUNS; run++) {
        const draw = mulberry32(run);
        await world.repo.commit({ ...files(run), ...leaving(run) }, `run ${run}`);
        const writesBefore = world.api.stats.writes;
        const child = await start();
        // Kill after the reconcile's k-th write (k drawn from the seed), or once it is over. A
        // reconcile writes about 48 times: the pending inventory, 40 core updates, 3 extras
        // created, 3 pruned, the inventory; late kills land between creating and saving.
        const k = 1 + Math.floor(draw() * 48);
        await eventually(
          `run ${run}: ${k} writes`,
          () => world.api.stats.writes - writesBefore >= k || converged(world, run),
          60_000,
        );
        if (!converged(world, run)) killedMidApply++;
        await kill(child);
        if (inventoryPending(world)) leftPending++;
      }

      let child = await start();
      await eventually("converged after the last restart", () => converged(world, RUNS), 60_000)
        .catch((e) => {
          // Name the orphans (owned, not in Git) and the missing objects, not just the timeout.
          assert.deepEqual([...owned(world).keys()].sort(), expectedNames(RUNS), String(e));
          throw e;
        });
      for (const [name, uid] of coreUids) {
        assert.equal(owned(world).get(name), uid, `${name} was deleted and recreated`);
      }
      // The older extras leave Git with a clean agent: exactly those are pruned.
      const removed = new Set([RUNS - 1]);
      const removals: Record<string, null> = {};
      for (const r of removed) {
        for (let j = 0; j < 3; j++) removals[`apps/extra-${r}-${j}.yaml`] = null;
      }
      await world.repo.commit(removals, "remove extras");
      await kill(child);
      child = await start();
      await eventually("pruned", () => converged(world, RUNS, removed), 60_000);
      const live = owned(world);
      assert.deepEqual([...live.keys()].sort(), expectedNames(RUNS, removed));
      const expectedIds = expectedNames(RUNS, removed).map((n) => `default_${n}__ConfigMap`).sort();
      await eventually(
        "inventory lists exactly what is applied",
        () => JSON.stringify(inventoryIds(world)) === JSON.stringify(expectedIds),
        20_000,
      );
      assert.ok(killedMidApply >= RUNS / 2, `only ${killedMidApply} kills landed mid-apply`);
      assert.ok(leftPending >= RUNS / 4, `only ${leftPending} kills left a pending inventory`);
      await recordScenario("agent-sigkill", {
        faultsInjected: RUNS,
        objectsLost: expectedIds.length - live.size,
        note:
          `${killedMidApply} of ${RUNS} kills mid-apply, ${leftPending} left a pending inventory`,
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
