// The page's source built from the agent's StatusStore, plus whatever else the agent can tell
// (next runs, config documents, inventories, image scans, per-run changes): each extra is
// optional, and the page shows less, not wrong, without it.
import type { HistoryEntry, StatusStore } from "../status/mod.ts";
import { configYaml, redactText, type TextRedactor } from "./redact.ts";
import { rootCauseOf } from "./root_cause.ts";
import type {
  DependantLink,
  DependencyLink,
  DriftRecord,
  ImageInfo,
  InventoryItem,
  InventoryView,
  ObjectDetails,
  OverviewRow,
  ReconcileRecord,
  StatusPageSource,
} from "./source.ts";

/** One applied object's change in a run, as the apply engine reports it. */
export interface RunChange {
  id: { kind: string; namespace?: string; name: string };
  /** created, configured, unchanged, deleted (pruned) or skipped. */
  action: string;
  reason: string;
}

export interface RunOutcome {
  ready: string;
  revision?: string;
  changes?: RunChange[];
}

export interface StatusPageExtras {
  /** Epoch ms of the next scheduled run. */
  nextRun?(key: string): number | undefined;
  /** The config document as written. */
  configDocument?(key: string): Record<string, unknown> | undefined;
  /** Key of the source an object renders from. */
  sourceOf?(key: string): string | undefined;
  /** What an object applied, with live health; undefined when it applies nothing. */
  inventory?(key: string): Promise<InventoryItem[] | InventoryView | undefined>;
  images?(key: string): ImageInfo | undefined;
  /** Called after every run, right after the StatusStore recorded it. */
  onOutcome?(listener: (key: string, outcome: RunOutcome) => void): () => void;
  /** Masks values the agent knows to be secret (the logger's SecretRegistry). */
  redact?: TextRedactor;
  /** Warnings about the agent itself (see StatusPageSource.warnings). */
  warnings?(): string[];
}

interface RunCounts {
  created: number;
  configured: number;
  pruned: number;
  driftCorrected: boolean;
}

const DRIFT_RECORDS = 20;

/** Builds the page's source from a StatusStore. Call `close()` to stop listening. */
export function statusPageSourceFromStore(
  store: StatusStore,
  extras: StatusPageExtras = {},
): StatusPageSource & { close(): void } {
  return new StoreSource(store, extras);
}

class StoreSource implements StatusPageSource {
  readonly #store: StatusStore;
  readonly #extras: StatusPageExtras;
  readonly #listeners = new Set<(key: string) => void>();
  /** Counts per history entry, attached when the run's outcome arrives. */
  readonly #counts = new WeakMap<HistoryEntry, RunCounts>();
  readonly #drift = new Map<string, DriftRecord[]>();
  /** Per object, the revision and config of its last run (to tell drift from a new commit). */
  readonly #lastRun = new Map<string, { revision: string; config: string }>();
  readonly #unsubscribe: (() => void)[] = [];

  constructor(store: StatusStore, extras: StatusPageExtras) {
    this.#store = store;
    this.#extras = extras;
    this.#unsubscribe.push(store.onRecord((key) => this.#notify(key)));
    if (extras.onOutcome) {
      this.#unsubscribe.push(extras.onOutcome((key, outcome) => this.#observe(key, outcome)));
    }
  }

  close(): void {
    for (const u of this.#unsubscribe) u();
    this.#listeners.clear();
  }

  subscribe(listener: (key: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  warnings(): string[] {
    return (this.#extras.warnings?.() ?? []).map((w) => this.#text(w));
  }

  overview(): OverviewRow[] {
    return this.#store.all().map((s) => this.#row(`${s.kind}/${s.namespace}/${s.name}`)!);
  }

  async details(key: string): Promise<ObjectDetails | undefined> {
    const row = this.#row(key);
    const status = this.#store.get(key);
    if (!row || !status) return undefined;
    const dependencies = this.#chain(key);
    const document = this.#extras.configDocument?.(key);
    let inventory: InventoryItem[] = [];
    let inventoryNote: string | undefined;
    try {
      const found = await this.#extras.inventory?.(key);
      if (Array.isArray(found)) inventory = found;
      else if (found) {
        inventory = found.items;
        if (found.note) inventoryNote = this.#text(found.note);
      }
    } catch (e) {
      inventoryNote = `the inventory could not be read: ${
        this.#text(e instanceof Error ? e.message : String(e))
      }`;
    }
    return {
      row,
      configYaml: document ? configYaml(document, this.#extras.redact) : undefined,
      rootCause: this.#rootCause(key),
      dependencies,
      dependants: this.#dependants(key),
      inventory,
      inventoryNote,
      history: status.history.map((h) => this.#record(h)),
      drift: [...(this.#drift.get(key) ?? [])],
      images: this.#extras.images?.(key),
    };
  }

  #row(key: string): OverviewRow | undefined {
    const s = this.#store.get(key);
    if (!s) return undefined;
    const next = this.#extras.nextRun?.(key);
    // A waiting object's message and error already name the current root cause (StatusStore).
    return {
      key,
      kind: s.kind,
      namespace: s.namespace,
      name: s.name,
      ready: s.ready,
      reason: s.reason,
      message: this.#text(s.message),
      suspended: s.suspended,
      revision: s.revision,
      lastAttemptedRevision: s.lastAttemptedRevision,
      lastError: s.lastError === undefined ? undefined : this.#text(s.lastError),
      lastAppliedTime: s.lastAppliedTime,
      lastReconcileTime: s.lastReconcileTime,
      lastDurationMs: s.lastDurationMs,
      nextRunTime: next === undefined ? undefined : new Date(next).toISOString(),
    };
  }

  #record(h: HistoryEntry): ReconcileRecord {
    const counts = this.#counts.get(h);
    return {
      time: h.time,
      ready: h.ready,
      reason: h.reason,
      message: this.#text(h.message),
      revision: h.revision,
      durationMs: h.durationMs,
      ...counts,
    };
  }

  /** Sources and dependsOn, breadth first, each object once. */
  #chain(key: string): DependencyLink[] {
    const links: DependencyLink[] = [];
    const seen = new Set([key]);
    let frontier = [key];
    for (let depth = 1; frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const k of frontier) {
        const source = this.#extras.sourceOf?.(k);
        const edges: { dep: string; relation: DependencyLink["relation"] }[] = [
          ...(source ? [{ dep: source, relation: "source" as const }] : []),
          ...(this.#store.get(k)?.dependsOn ?? []).map((dep) => ({
            dep,
            relation: "dependsOn" as const,
          })),
        ];
        for (const { dep, relation } of edges) {
          if (seen.has(dep)) continue;
          seen.add(dep);
          const s = this.#store.get(dep);
          links.push({
            key: dep,
            relation,
            depth,
            ready: s?.ready ?? "Missing",
            reason: s?.reason ?? "NotReconciled",
            message: s ? this.#text(s.message) : "not reconciled by this agent",
          });
          next.push(dep);
        }
      }
      frontier = next;
    }
    return links;
  }

  /** The objects one step up the chain: what renders from `key` or depends on it. */
  #dependants(key: string): DependantLink[] {
    const links: DependantLink[] = [];
    for (const s of this.#store.all()) {
      const k = `${s.kind}/${s.namespace}/${s.name}`;
      const relation = this.#extras.sourceOf?.(k) === key
        ? "source"
        : s.dependsOn?.includes(key)
        ? "dependsOn"
        : undefined;
      if (relation) links.push({ key: k, relation, ready: s.ready, reason: s.reason });
    }
    return links;
  }

  /** The first thing that is wrong, looking from the object down its sources and dependsOn. */
  #rootCause(key: string): string | undefined {
    const cause = rootCauseOf(this.#store, key, (k) => this.#extras.sourceOf?.(k));
    return cause === undefined ? undefined : this.#text(cause);
  }

  #observe(key: string, outcome: RunOutcome): void {
    const entry = this.#store.get(key)?.history[0];
    const changes = outcome.changes ?? [];
    const count = (action: string) => changes.filter((c) => c.action === action).length;
    const corrected = changes.filter((c) => c.action === "created" || c.action === "configured");
    const config = JSON.stringify(this.#extras.configDocument?.(key) ?? null);
    const last = this.#lastRun.get(key);
    // Objects put back at the revision and config already applied were changed by someone else.
    const drift = corrected.length > 0 && last !== undefined &&
      last.revision === outcome.revision && last.config === config;
    if (entry && changes.length > 0) {
      this.#counts.set(entry, {
        created: count("created"),
        configured: count("configured"),
        pruned: count("deleted"),
        driftCorrected: drift,
      });
    }
    if (drift) {
      const records = this.#drift.get(key) ?? [];
      records.unshift({
        time: entry?.time ?? new Date().toISOString(),
        revision: outcome.revision,
        corrected: corrected.map((c) =>
          `${c.id.kind} ${c.id.namespace ? c.id.namespace + "/" : ""}${c.id.name} ${c.action}${
            c.reason ? ` (${this.#text(c.reason)})` : ""
          }`
        ),
      });
      records.length = Math.min(records.length, DRIFT_RECORDS);
      this.#drift.set(key, records);
    }
    if (outcome.revision !== undefined && outcome.ready === "True") {
      this.#lastRun.set(key, { revision: outcome.revision, config });
    }
    this.#notify(key);
  }

  #text(text: string): string {
    return redactText(text, this.#extras.redact);
  }

  #notify(key: string): void {
    for (const l of this.#listeners) l(key);
  }
}
