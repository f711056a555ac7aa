// What every reconciler gets (the environment) and gives back (an outcome), and the shape a
// reconciler per kind has, so a new kind plugs in without touching the scheduler or the agent.
import type { Config, FluxKind, ObjectsByKind } from "../config/mod.ts";
import type { ApplyEngine, Change, KubeClient, ObjectId } from "../../lib/kube/mod.ts";
import type { Logger } from "../../lib/log/mod.ts";
import type { ImageStore } from "../images/mod.ts";
import type { InventoryStore } from "../inventory/mod.ts";
import type { Schedule } from "../scheduler/mod.ts";
import type { ArtifactStore } from "../sources/mod.ts";
import type { RunResult, StatusStore } from "../status/mod.ts";

/** Objects that are applied by a reconciler can be watched for drift; see agent/drift. */
export interface DriftTracker {
  /** True when nothing skiff applied for `key` changed in the cluster since `since` (epoch ms). */
  unchangedSince(key: string, since: number): boolean;
  /** Starts (or updates) watching the objects a Kustomization applied. */
  track(key: string, objects: ObjectId[], appliedAt: number): void;
  forget(key: string): void;
}

export interface ReconcileEnv {
  config: Config;
  client: KubeClient;
  engine: ApplyEngine;
  artifacts: ArtifactStore;
  statuses: StatusStore;
  inventories: InventoryStore;
  images: ImageStore;
  drift?: DriftTracker;
  /** Runs another object soon (a new image, a pushed commit). */
  trigger(key: string, reason: string): void;
  cacheDir: string;
  logger: Logger;
  /** Aborted on shutdown: a long step (health wait) stops early and reports it. */
  signal: AbortSignal;
}

export interface Outcome extends RunResult {
  changes?: Change[];
  /** Run again after this long instead of the interval or retry backoff. */
  requeueAfterMs?: number;
}

export interface RunContext {
  /** Why this run happened: "initial", "interval", "retry", "source revision", "webhook"... */
  reason: string;
  /** Skip shortcuts (a manual `skiff reconcile`, a drift event). */
  force: boolean;
}

export interface Reconciler<K extends FluxKind = FluxKind> {
  kind: K;
  schedule(obj: ObjectsByKind[K]): Schedule;
  /** Keys of objects this one waits for (dependsOn). */
  dependencies?(obj: ObjectsByKind[K]): string[];
  /** Key of the source it consumes, so a new revision triggers it. */
  source?(obj: ObjectsByKind[K]): string | undefined;
  reconcile(obj: ObjectsByKind[K], env: ReconcileEnv, run: RunContext): Promise<Outcome>;
  /** The object left the config: clean up what it owns (per its deletion policy). */
  finalize?(obj: ObjectsByKind[K], env: ReconcileEnv): Promise<void>;
}
