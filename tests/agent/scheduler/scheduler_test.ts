import assert from "node:assert/strict";
import { retryDelay, Scheduler, withJitter } from "../../../agent/scheduler/mod.ts";

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until `check` holds. The runs under test are timer-driven: on a loaded CI machine a
 * timer can fire hundreds of ms late, so a test waits for the runs it expects instead of a
 * fixed time, then a little longer to see that no unexpected run follows.
 */
async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await wait(10);
  }
}

Deno.test("jitter stays within five percent of the interval", () => {
  assert.equal(withJitter(60_000, () => 0), 57_000);
  assert.equal(withJitter(60_000, () => 0.5), 60_000);
  assert.ok(withJitter(60_000, () => 0.999999) <= 63_000);
});

Deno.test("retry backoff doubles from retryInterval and is capped by the interval", () => {
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => retryDelay(n, 1_000, 10_000)), [
    1_000,
    2_000,
    4_000,
    8_000,
    10_000,
  ]);
  assert.equal(retryDelay(40, 1_000, 10_000), 10_000);
  // A retryInterval longer than the interval is honoured as is.
  assert.equal(retryDelay(1, 20_000, 10_000), 20_000);
});

Deno.test("never runs more than `concurrency` objects at once, nor one object twice", async () => {
  let running = 0;
  let peak = 0;
  const runsOf = new Map<string, number>();
  const scheduler = new Scheduler({
    concurrency: 2,
    run: async (key) => {
      running++;
      peak = Math.max(peak, running);
      runsOf.set(key, (runsOf.get(key) ?? 0) + 1);
      await wait(30);
      running--;
      return { ok: true };
    },
  });
  for (const k of ["a", "b", "c", "d", "e"]) {
    scheduler.add(k, { intervalMs: 60_000, retryIntervalMs: 60_000 });
  }
  scheduler.start();
  // Triggers while "a" runs queue exactly one more run.
  scheduler.trigger("a", "test");
  scheduler.trigger("a", "test");
  await until("every object ran", () => runsOf.size === 5 && runsOf.get("a") === 2);
  await wait(100);
  await scheduler.stop();
  assert.equal(peak, 2);
  assert.equal(runsOf.get("a"), 2);
  assert.equal(runsOf.get("e"), 1);
});

Deno.test("a failure is retried after retryInterval, a success waits for the interval", async () => {
  const times: number[] = [];
  let fail = true;
  const scheduler = new Scheduler({
    concurrency: 1,
    random: () => 0.5,
    run: () => {
      times.push(performance.now());
      const ok = !fail;
      fail = false;
      return Promise.resolve({ ok });
    },
  });
  scheduler.add("x", { intervalMs: 10_000, retryIntervalMs: 50 });
  scheduler.start();
  await until("the retry", () => times.length >= 2);
  await wait(200);
  await scheduler.stop();
  assert.equal(times.length, 2, "one failure, one retry, then the long interval");
  assert.ok(times[1] - times[0] >= 45);
});

Deno.test("suspended objects run only when triggered with force; removed ones never", async () => {
  const runs: string[] = [];
  const scheduler = new Scheduler({
    concurrency: 4,
    run: (key, reason) => {
      runs.push(`${key}:${reason}`);
      return Promise.resolve({ ok: true });
    },
  });
  scheduler.add("s", { intervalMs: 10, retryIntervalMs: 10, suspended: true });
  scheduler.add("gone", { intervalMs: 10, retryIntervalMs: 10 });
  scheduler.remove("gone");
  scheduler.start();
  assert.equal(scheduler.trigger("s", "webhook"), false);
  assert.equal(scheduler.trigger("s", "manual", true), true);
  await until("the forced run", () => runs.length > 0);
  await wait(60);
  await scheduler.stop();
  assert.deepEqual(runs, ["s:manual"]);
});

Deno.test("requeueAfterMs overrides the next delay", async () => {
  let n = 0;
  const scheduler = new Scheduler({
    concurrency: 1,
    run: () => Promise.resolve({ ok: false, requeueAfterMs: ++n === 1 ? 20 : 60_000 }),
  });
  scheduler.add("d", { intervalMs: 60_000, retryIntervalMs: 60_000 });
  scheduler.start();
  await until("the requeued run", () => n >= 2);
  await wait(100);
  await scheduler.stop();
  assert.equal(n, 2);
});
