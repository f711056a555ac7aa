// What the agent knows about every object it reconciles: Ready, revision, last error, last
// applied time and a short history. In memory; the status API, metrics and `skiff status` read
// it, and Kustomizations also keep theirs in the cluster (see agent/inventory).
// A waiting object's message and last error follow its dependencies as they change (a wait
// explained as "not ready yet" becomes "failed: ..." when the dependency fails), so every reader
// tells the same, current story; its history keeps what was true at each run.
import { explainWaiting } from "./explain.ts";

export type ReadyState = "True" | "False" | "Unknown";

export interface HistoryEntry {
  time: string;
  ready: ReadyState;
  reason: string;
  message: string;
  revision?: string;
  durationMs: number;
}

/** What one run of a reconciler found: the part of its outcome that status keeps. */
export interface RunResult {
  ready: ReadyState;
  /** Flux's condition reason, unchanged into status, events and metrics. */
  reason: string;
  message: string;
  /** Sources: the artifact revision; appliers: the revision now applied. */
  revision?: string;
  attemptedRevision?: string;
  /** Something was written to the cluster in this run. */
  applied?: boolean;
  inventorySize?: number;
}

export interface ObjectStatus {
  kind: string;
  namespace: string;
  name: string;
  ready: ReadyState;
  /** Flux's condition reason: ReconciliationSucceeded, BuildFailed, DependencyNotReady... */
  reason: string;
  message: string;
  suspended: boolean;
  /** Sources: the artifact revision; appliers: the last applied revision. */
  revision?: string;
  lastAttemptedRevision?: string;
  lastError?: string;
  lastAppliedTime?: string;
  lastReconcileTime?: string;
  lastDurationMs?: number;
  /** Objects this one applied (Kustomizations). */
  inventorySize?: number;
  /** Other object keys it waits for (Kustomization dependsOn), for explanations. */
  dependsOn?: string[];
  history: HistoryEntry[];
}

const HISTORY_LENGTH = 10;

export function objectKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

export function parseObjectKey(key: string): { kind: string; namespace: string; name: string } {
  const [kind, namespace, ...rest] = key.split("/");
  return { kind, namespace, name: rest.join("/") };
}

export class StatusStore {
  readonly #statuses = new Map<string, ObjectStatus>();
  readonly #listeners = new Set<(key: string, status: ObjectStatus) => void>();

  /** Makes sure an object has a status (Unknown until its first run). */
  ensure(key: string, init: { suspended: boolean; dependsOn?: string[] }): ObjectStatus {
    const existing = this.#statuses.get(key);
    if (existing) {
      const changed = existing.suspended !== init.suspended ||
        JSON.stringify(existing.dependsOn) !== JSON.stringify(init.dependsOn);
      existing.suspended = init.suspended;
      existing.dependsOn = init.dependsOn;
      // A dependency suspended (or resumed) by a config reload changes what waiting objects say.
      if (changed) this.#refreshWaiting();
      return existing;
    }
    const { kind, namespace, name } = parseObjectKey(key);
    const status: ObjectStatus = {
      kind,
      namespace,
      name,
      ready: "Unknown",
      reason: "Progressing",
      message: "reconciliation in progress",
      suspended: init.suspended,
      dependsOn: init.dependsOn,
      history: [],
    };
    this.#statuses.set(key, status);
    return status;
  }

  get(key: string): ObjectStatus | undefined {
    return this.#statuses.get(key);
  }

  remove(key: string): void {
    this.#statuses.delete(key);
  }

  all(): ObjectStatus[] {
    return [...this.#statuses.values()];
  }

  /** Records a run's outcome and tells listeners (metrics, events). */
  record(
    key: string,
    outcome: RunResult & { durationMs: number },
  ): ObjectStatus {
    const status = this.#statuses.get(key) ?? this.ensure(key, { suspended: false });
    const now = new Date().toISOString();
    status.ready = outcome.ready;
    status.reason = outcome.reason;
    status.message = outcome.message;
    if (outcome.revision !== undefined) status.revision = outcome.revision;
    if (outcome.attemptedRevision !== undefined) {
      status.lastAttemptedRevision = outcome.attemptedRevision;
    }
    if (outcome.inventorySize !== undefined) status.inventorySize = outcome.inventorySize;
    status.lastError = outcome.ready === "False" ? outcome.message : undefined;
    if (outcome.applied) status.lastAppliedTime = now;
    status.lastReconcileTime = now;
    status.lastDurationMs = outcome.durationMs;
    status.history.unshift({
      time: now,
      ready: outcome.ready,
      reason: outcome.reason,
      message: outcome.message,
      revision: outcome.revision,
      durationMs: outcome.durationMs,
    });
    status.history.length = Math.min(status.history.length, HISTORY_LENGTH);
    for (const listener of this.#listeners) listener(key, status);
    this.#refreshWaiting();
    return status;
  }

  /**
   * Re-explains every waiting object from the current state of its chain. One that has no
   * not-ready dependency left keeps its text: the agent runs it right away (wakeDependants).
   */
  #refreshWaiting(): void {
    for (const [key, status] of this.#statuses) {
      if (status.reason !== "DependencyNotReady") continue;
      const explained = explainWaiting(this, key);
      if (explained === undefined || explained === status.message) continue;
      status.message = explained;
      if (status.ready === "False") status.lastError = explained;
      for (const listener of this.#listeners) listener(key, status);
    }
  }

  /** Called with every status that changed: a run recorded, or a waiting object re-explained. */
  onRecord(listener: (key: string, status: ObjectStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
