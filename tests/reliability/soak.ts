// The bounded soak run (`deno task soak`): rounds of randomised API faults against the emulator
// until the time is up. Each round draws a fault mix from its seed (500s, 429 storms, dropped
// connections, latency), applies a fleet, changes part of it and prunes another part, and checks
// what the CI scenarios check: converged, exactly one write per changed object, inventory
// complete, nothing in Git lost or wrongly pruned.
//
//   deno task soak                  # 10 minutes
//   deno task soak --minutes 2 --objects 300 --seed 42
import assert from "node:assert/strict";
import { parseArgs } from "node:util";
import type { FaultRule } from "../apiserver/mod.ts";
import {
  type ApiServer,
  assertConverged,
  converge,
  faultsFired,
  fleet,
  missing,
  NAMESPACE,
  withEmulator,
} from "./fleet.ts";
import { mulberry32 } from "../support/mulberry32.ts";

interface SoakOptions {
  minutes: number;
  objects: number;
  seed: number;
}

function options(): SoakOptions {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      minutes: { type: "string", default: "10" },
      objects: { type: "string", default: "300" },
      seed: { type: "string", default: "1" },
    },
  });
  const minutes = Number(values.minutes);
  const objects = Number(values.objects);
  const seed = Number(values.seed);
  if (!(minutes > 0 && minutes <= 24 * 60)) throw new Error("--minutes: between 0 and 1440");
  if (!(objects > 0 && objects <= 5000)) throw new Error("--objects: between 1 and 5000");
  return { minutes, objects, seed };
}

function faultMix(draw: () => number): FaultRule[] {
  const rules: FaultRule[] = [];
  if (draw() < 0.7) {
    rules.push({ verb: "patch", fraction: 0.1 + draw() * 0.3, status: 500, times: 300 });
  }
  if (draw() < 0.5) {
    rules.push({
      verb: "patch",
      resource: "configmaps",
      status: 429,
      times: 8,
      retryAfterSeconds: 1,
    });
  }
  if (draw() < 0.5) rules.push({ drop: true, fraction: 0.05 + draw() * 0.1, times: 50 });
  if (draw() < 0.3) {
    rules.push({ latencyMs: 200 + Math.round(draw() * 800), fraction: 0.02, times: 20 });
  }
  if (draw() < 0.5) rules.push({ verb: "delete", fraction: 0.5, status: 503, times: 100 });
  return rules;
}

interface RoundResult {
  faults: number;
  lost: number;
}

async function round(seed: number, n: number): Promise<RoundResult> {
  const draw = mulberry32(seed);
  let result: RoundResult = { faults: 0, lost: 0 };
  await withEmulator({ seed }, { timeoutMs: 5_000 }, async (server: ApiServer, engine) => {
    for (const rule of faultMix(draw)) server.faults.add(rule);
    const first = fleet(n, "1");
    let before = server.stats.writes;
    const created = await converge(engine, first, undefined, 50);
    assertConverged(server, first, created, server.stats.writes - before);

    // Change a tenth, drop a tenth (prune), under a new fault mix.
    const firstFaults = faultsFired(server);
    server.faults.clear();
    for (const rule of faultMix(draw)) server.faults.add(rule);
    const keep = first.length - Math.floor(n / 10);
    const changed = Math.floor(n / 10);
    const second = first.slice(0, keep).map((o, i) =>
      i > 0 && i <= changed ? { ...o, data: { ...(o.data as object), version: "2" } } : o
    );
    before = server.stats.writes;
    const updated = await converge(engine, second, created.changes.inventory, 50);
    const lost = missing(server, second).length;
    assert.equal(lost, 0, "nothing in Git lost");
    assert.equal(updated.changes.inventory.size, second.length, "inventory complete");
    const live = server.store.list("v1", "ConfigMap", NAMESPACE).filter((o) =>
      String((o.metadata as Record<string, unknown>).name).startsWith("cm-")
    );
    assert.equal(live.length, second.length - 1, "exactly the removed objects pruned");
    // Writes: one per changed object, one delete per pruned object.
    assert.equal(server.stats.writes - before, changed + (first.length - keep), "exactly-once");
    result = { faults: firstFaults + faultsFired(server), lost };
  });
  return result;
}

async function main(): Promise<number> {
  const o = options();
  const deadline = Date.now() + o.minutes * 60_000;
  let rounds = 0, faults = 0, lost = 0;
  console.log(`soak: ${o.minutes} min, ${o.objects} objects per round, seeds from ${o.seed}`);
  while (Date.now() < deadline) {
    const seed = o.seed + rounds;
    const start = performance.now();
    try {
      const r = await round(seed, o.objects);
      faults += r.faults;
      lost += r.lost;
    } catch (e) {
      console.error(`soak: round with seed ${seed} failed: ${(e as Error).stack ?? e}`);
      return 1;
    }
    rounds++;
    console.log(
      `round ${rounds} (seed ${seed}): ok in ${((performance.now() - start) / 1000).toFixed(1)} s`,
    );
  }
  console.log(`soak: ${rounds} rounds passed, ${faults} faults injected, ${lost} objects lost`);
  return lost === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main());
