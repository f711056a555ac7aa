// The agent: one process keeping a cluster equal to Git. It owns the scheduler and drives one
// reconciler per kind through it; new source revisions, Ready dependencies, webhooks and
// `skiff reconcile` trigger runs; the config can be reloaded while running.
import type { Config, FluxObject } from "./config/mod.ts";
import { ApplyEngine, KubeClient } from "../lib/kube/mod.ts";
import type { Logger } from "../lib/log/mod.ts";
import { ImageStore } from "./images/mod.ts";
import { InventoryStore } from "./inventory/mod.ts";
import {
  defaultReconcilers,
  type Outcome,
  type ReconcileEnv,
  type Reconciler,
  type ReconcilerRegistry,
} from "./reconcile/mod.ts";
import { type RunResult, Scheduler } from "./scheduler/mod.ts";
import { ownedByShard } from "./selection.ts";
import { ArtifactStore } from "./sources/mod.ts";
import { objectKey, StatusStore } from "./status/mod.ts";

export interface AgentCoreOptions {
  config: Config;
  client: KubeClient;
  logger: Logger;
  cacheDir: string;
  reconcilers?: ReconcilerRegistry;
}

/** Listeners other parts (metrics, events, drift) attach to. */
export interface OutcomeListener {
  (key: string, outcome: Outcome, durationMs: number): void;
}

export class AgentCore {
  readonly client: KubeClient;
  readonly engine: ApplyEngine;
  readonly artifacts = new ArtifactStore();
  readonly statuses = new StatusStore();
  readonly inventories: InventoryStore;
  readonly scheduler: Scheduler;
  readonly reconcilers: ReconcilerRegistry;
  readonly logger: Logger;
  readonly env: ReconcileEnv;
  readonly #abort = new AbortController();
  readonly #forced = new Set<string>();
  readonly #listeners = new Set<OutcomeListener>();
  #config: Config;
  #owned = new Map<string, FluxObject>();

  constructor(options: AgentCoreOptions) {
    this.#config = options.config;
    this.client = options.client;
    this.logger = options.logger;
    this.engine = new ApplyEngine(this.client);
    this.inventories = new InventoryStore(this.client, options.config.agent.namespace);
    this.reconcilers = options.reconcilers ?? defaultReconcilers();
    this.scheduler = new Scheduler({
      concurrency: options.config.agent.concurrency,
      run: (key, reason) => this.#run(key, reason),
      onCrash: (key, e) =>
        this.logger.error("reconciler crashed", { object: key, error: errorText(e) }),
    });
    this.env = {
      config: options.config,
      client: this.client,
      engine: this.engine,
      artifacts: this.artifacts,
      statuses: this.statuses,
      inventories: this.inventories,
      images: new ImageStore(),
      trigger: (key, reason) => this.scheduler.trigger(key, reason),
      cacheDir: options.cacheDir,
      logger: this.logger,
      signal: this.#abort.signal,
    };
    this.artifacts.onNewRevision((source, artifact) =>
      this.#wakeConsumers(source, "source revision", { revision: artifact.revision })
    );
    // Consumers of a source that has never fetched find out why now, not at their next retry.
    this.artifacts.onFailureWithoutArtifact((source) =>
      this.#wakeConsumers(source, "source failed", {})
    );
    this.#sync(options.config);
  }

  /**
   * Wakes everything that renders from `source`. An object whose dependency renders from the
   * same source is woken by that dependency once it is Ready at the new revision, not now (it
   * would only find it not ready yet).
   */
  #wakeConsumers(source: string, reason: string, fields: Record<string, string>): void {
    const consumes = (key: string) => {
      const obj = this.#owned.get(key);
      return obj !== undefined && this.reconcilerOf(obj)?.source?.(obj as never) === source;
    };
    for (const [key, obj] of this.#owned) {
      if (!consumes(key)) continue;
      const deps = this.reconcilerOf(obj)?.dependencies?.(obj as never) ?? [];
      if (deps.some(consumes)) continue;
      this.logger.debug(reason, { object: key, ...fields });
      this.scheduler.trigger(key, reason);
    }
  }

  get config(): Config {
    return this.#config;
  }

  onOutcome(listener: OutcomeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts reconciling (after leader election, when enabled). */
  async start(): Promise<void> {
    await this.inventories.ensureNamespace();
    this.scheduler.start();
  }

  /** Stops starting new runs (lost leadership); in-flight runs finish. */
  pause(): void {
    this.scheduler.pause();
  }

  /** Stops: aborts long waits, lets runs in flight finish, returns when they have. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.scheduler.stop();
  }

  /** Objects this agent reconciles, by key. */
  owned(): Map<string, FluxObject> {
    return this.#owned;
  }

  reconcilerOf(obj: FluxObject): Reconciler | undefined {
    return this.reconcilers.get(obj.kind);
  }

  /**
   * Reconciles an object now (skipping shortcuts), and its source first when `withSource`.
   * Returns false when the agent does not reconcile such an object.
   */
  reconcileNow(key: string, reason: string, withSource = false): boolean {
    const obj = this.#owned.get(key);
    if (!obj) return false;
    this.#forced.add(key);
    const source = this.reconcilerOf(obj)?.source?.(obj as never);
    if (withSource && source && this.scheduler.has(source)) {
      // The source's new revision (if any) triggers this object again by itself.
      this.scheduler.trigger(source, reason, true);
    }
    return this.scheduler.trigger(key, reason, true);
  }

  /** Applies a new config: added objects start, removed ones stop (and are finalized). */
  async reload(config: Config): Promise<{ added: string[]; removed: string[]; changed: string[] }> {
    const before = new Map(this.#owned);
    this.#config = config;
    this.env.config = config;
    const result = this.#sync(config);
    for (const key of result.removed) {
      const obj = before.get(key)!;
      // A run in flight may still save an inventory; clean up only after it.
      await this.scheduler.idle(key);
      try {
        await this.reconcilerOf(obj)?.finalize?.(obj as never, this.env);
      } catch (e) {
        this.logger.error("cleaning up a removed object failed", {
          object: key,
          error: errorText(e),
        });
      }
      this.statuses.remove(key);
      this.artifacts.delete(key);
    }
    return result;
  }

  #sync(config: Config): { added: string[]; removed: string[]; changed: string[] } {
    const next = new Map<string, FluxObject>();
    for (const obj of config.objects) {
      if (!this.reconcilers.get(obj.kind)) continue;
      if (!ownedByShard(obj, config.agent.shard)) continue;
      next.set(objectKey(obj.kind, obj.metadata.namespace, obj.metadata.name), obj);
    }
    const added: string[] = [];
    const removed: string[] = [];
    const changed: string[] = [];
    const before = this.#owned;
    // Runs start synchronously from scheduler.add: they must already see the new objects.
    this.#owned = next;
    for (const key of before.keys()) {
      if (!next.has(key)) {
        removed.push(key);
        this.scheduler.remove(key);
      }
    }
    for (const [key, obj] of next) {
      const reconciler = this.reconcilerOf(obj)!;
      const old = before.get(key);
      const schedule = reconciler.schedule(obj as never);
      this.statuses.ensure(key, {
        suspended: schedule.suspended ?? false,
        dependsOn: reconciler.dependencies?.(obj as never),
      });
      if (!old) {
        added.push(key);
        this.scheduler.add(key, schedule);
      } else if (JSON.stringify(old.spec) !== JSON.stringify(obj.spec)) {
        changed.push(key);
        this.scheduler.add(key, schedule);
        this.#forced.add(key);
        this.scheduler.trigger(key, "config changed");
      }
    }
    return { added, removed, changed };
  }

  async #run(key: string, reason: string): Promise<RunResult> {
    const obj = this.#owned.get(key);
    const reconciler = obj && this.reconcilerOf(obj);
    if (!obj || !reconciler) return { ok: true };
    const force = this.#forced.delete(key);
    const started = performance.now();
    const log = this.logger.with({
      kind: obj.kind,
      name: `${obj.metadata.namespace}/${obj.metadata.name}`,
    });
    log.debug("reconciling", { reason });
    let outcome: Outcome;
    try {
      outcome = await reconciler.reconcile(obj as never, this.env, { reason, force });
    } catch (e) {
      outcome = { ready: "False", reason: "ReconciliationFailed", message: errorText(e) };
      log.debug("unexpected reconcile error", { stack: e instanceof Error ? e.stack : undefined });
    }
    const durationMs = Math.round(performance.now() - started);
    const before = this.statuses.get(key);
    const wasReady = before?.ready === "True";
    const previousRevision = before?.revision;
    this.statuses.record(key, { ...outcome, durationMs });
    if (outcome.ready === "True") {
      if (!wasReady || previousRevision !== outcome.revision || outcome.applied) {
        log.info(outcome.message, { revision: outcome.revision, durationMs });
      }
      this.#wakeDependants(key);
    } else if (outcome.reason === "DependencyNotReady" || outcome.reason === "ArtifactFailed") {
      // Waiting for another object is not an error of this one (its source's own run logs why).
      log.info(outcome.message);
    } else {
      log.error(outcome.message, { reason: outcome.reason });
    }
    for (const listener of this.#listeners) listener(key, outcome, durationMs);
    return { ok: outcome.ready === "True", requeueAfterMs: outcome.requeueAfterMs };
  }

  /** Objects waiting for `key` run as soon as it is Ready, not at their next retry. */
  #wakeDependants(key: string): void {
    for (const [other, obj] of this.#owned) {
      const deps = this.reconcilerOf(obj)?.dependencies?.(obj as never) ?? [];
      if (!deps.includes(key)) continue;
      const status = this.statuses.get(other);
      const behind = status?.revision !== this.statuses.get(key)?.revision;
      if (status?.ready !== "True" || behind) this.scheduler.trigger(other, "dependency ready");
    }
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
