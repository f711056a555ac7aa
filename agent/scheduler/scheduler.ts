// The scheduler: every registered object runs on its interval (with jitter), sooner after a
// failure (backoff), or at once when triggered; at most `concurrency` runs at a time, and never
// two runs of the same object together (a trigger during a run queues exactly one more run).
import { retryDelay, withJitter } from "./backoff.ts";

export interface Schedule {
  intervalMs: number;
  retryIntervalMs: number;
  /** Suspended objects stay registered but never run (except when triggered with `force`). */
  suspended?: boolean;
}

/** What a run reports back: success, or failure; `requeueAfterMs` overrides the next delay. */
export interface RunResult {
  ok: boolean;
  requeueAfterMs?: number;
}

export type RunFunction = (key: string, reason: string) => Promise<RunResult>;

export interface SchedulerOptions {
  concurrency: number;
  run: RunFunction;
  random?: () => number;
  /** Called when a run throws (a bug: reconcilers report failures as results). */
  onCrash?: (key: string, error: unknown) => void;
}

interface Entry {
  key: string;
  schedule: Schedule;
  failures: number;
  timer?: ReturnType<typeof setTimeout>;
  queued: boolean;
  running: boolean;
  /** A trigger arrived while running: run once more right after. */
  again: boolean;
  reason: string;
  dueAt?: number;
}

export class Scheduler {
  readonly #entries = new Map<string, Entry>();
  readonly #queue: Entry[] = [];
  readonly #options: SchedulerOptions;
  readonly #random: () => number;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #runs = new Map<string, Promise<void>>();
  #running = 0;
  #stopped = false;
  #paused = true;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#random = options.random ?? Math.random;
  }

  /** Registers (or updates) an object; a new one runs at once when the scheduler is started. */
  add(key: string, schedule: Schedule): void {
    const existing = this.#entries.get(key);
    if (existing) {
      existing.schedule = schedule;
      return;
    }
    const entry: Entry = {
      key,
      schedule,
      failures: 0,
      queued: false,
      running: false,
      again: false,
      reason: "",
    };
    this.#entries.set(key, entry);
    if (!schedule.suspended) this.#enqueue(entry, "initial");
  }

  /** Resolves when no run of `key` is in flight (e.g. before cleaning up a removed object). */
  async idle(key: string): Promise<void> {
    await this.#runs.get(key);
  }

  remove(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.#entries.delete(key);
    const i = this.#queue.indexOf(entry);
    if (i >= 0) this.#queue.splice(i, 1);
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  keys(): string[] {
    return [...this.#entries.keys()];
  }

  /** Runs `key` as soon as a slot is free; `force` runs even a suspended object. */
  trigger(key: string, reason: string, force = false): boolean {
    const entry = this.#entries.get(key);
    if (!entry) return false;
    if (entry.schedule.suspended && !force) return false;
    if (entry.running) {
      entry.again = true;
      entry.reason = reason;
      return true;
    }
    clearTimeout(entry.timer);
    entry.timer = undefined;
    this.#enqueue(entry, reason);
    return true;
  }

  /** When the next run of `key` is due (epoch ms), if one is scheduled. */
  nextRun(key: string): number | undefined {
    return this.#entries.get(key)?.dueAt;
  }

  /** Starts running queued objects (objects added before start wait for it). */
  start(): void {
    this.#paused = false;
    this.#drain();
  }

  /** Stops starting runs (timers and triggers keep their place) until start() again. */
  pause(): void {
    this.#paused = true;
  }

  /** Stops everything; resolves when the runs in flight have finished. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const entry of this.#entries.values()) clearTimeout(entry.timer);
    this.#queue.length = 0;
    await Promise.allSettled([...this.#inFlight]);
  }

  #enqueue(entry: Entry, reason: string): void {
    if (this.#stopped) return;
    entry.reason = reason;
    entry.dueAt = Date.now();
    if (!entry.queued) {
      entry.queued = true;
      this.#queue.push(entry);
    }
    this.#drain();
  }

  #drain(): void {
    while (!this.#paused && !this.#stopped && this.#running < this.#options.concurrency) {
      const entry = this.#queue.shift();
      if (!entry) return;
      entry.queued = false;
      if (!this.#entries.has(entry.key)) continue;
      this.#start(entry);
    }
  }

  #start(entry: Entry): void {
    this.#running++;
    entry.running = true;
    entry.dueAt = undefined;
    const run = this.#runOnce(entry).finally(() => {
      this.#running--;
      entry.running = false;
      this.#inFlight.delete(run);
      if (this.#runs.get(entry.key) === run) this.#runs.delete(entry.key);
      if (entry.again && this.#entries.has(entry.key)) {
        entry.again = false;
        clearTimeout(entry.timer);
        this.#enqueue(entry, entry.reason);
      }
      this.#drain();
    });
    this.#inFlight.add(run);
    this.#runs.set(entry.key, run);
  }

  async #runOnce(entry: Entry): Promise<void> {
    let result: RunResult;
    try {
      result = await this.#options.run(entry.key, entry.reason);
    } catch (e) {
      this.#options.onCrash?.(entry.key, e);
      result = { ok: false };
    }
    if (this.#stopped || !this.#entries.has(entry.key)) return;
    const { intervalMs, retryIntervalMs, suspended } = entry.schedule;
    if (result.ok) entry.failures = 0;
    else entry.failures++;
    if (suspended) return;
    const delay = result.requeueAfterMs ??
      (result.ok
        ? withJitter(intervalMs, this.#random)
        : retryDelay(entry.failures, retryIntervalMs, intervalMs));
    this.#after(entry, delay, result.ok ? "interval" : "retry");
  }

  #after(entry: Entry, delayMs: number, reason: string): void {
    clearTimeout(entry.timer);
    entry.dueAt = Date.now() + delayMs;
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      this.#enqueue(entry, reason);
    }, delayMs);
    // Timers must not keep a stopped process alive (the agent's own server keeps it running).
    Deno.unrefTimer(entry.timer as unknown as number);
  }
}
