// What the status page reads: plain values, so the page renders from the agent's stores or
// from a test's fake alike. Everything here is already safe to show: text is redacted by the
// source (see redact.ts), never by the page.
import type { HistoryEntry, ObjectStatus, ReadyState } from "../status/mod.ts";

/**
 * One line of the overview: an object the agent reconciles, with the StatusStore's fields (the
 * message of a waiting object is the root cause of the wait; the revision is Flux's full form).
 */
export interface OverviewRow extends Omit<ObjectStatus, "inventorySize" | "dependsOn" | "history"> {
  /** `Kind/namespace/name`, the StatusStore key. */
  key: string;
  /** When the scheduler runs it next (ISO time). */
  nextRunTime?: string;
}

/** One link of the dependency chain: a source or a dependsOn entry. */
export interface DependencyLink {
  key: string;
  /** "source" for the artifact it renders from, "dependsOn" for an ordering dependency. */
  relation: "source" | "dependsOn";
  /** How far from the object (1 = a direct dependency). */
  depth: number;
  ready: ReadyState | "Missing";
  reason: string;
  message: string;
}

/** An object the agent applied, with its live health (kstatus). */
export interface InventoryItem {
  apiVersion: string;
  kind: string;
  /** "" for cluster-scoped objects. */
  namespace: string;
  name: string;
  /** Current, InProgress, Failed, Terminating, NotFound or Unknown. */
  health: string;
  healthMessage: string;
}

/** One reconcile, newest first: the StatusStore's history entry plus what it applied. */
export interface ReconcileRecord extends HistoryEntry {
  /** Counts of objects per action, when the run applied something (Kustomizations). */
  created?: number;
  configured?: number;
  pruned?: number;
  /** This run put back objects changed outside Git (same revision, same config). */
  driftCorrected?: boolean;
}

/** What was corrected after a change made outside Git. */
export interface DriftRecord {
  time: string;
  /** The objects put back, e.g. "Deployment production/payment-api configured (spec.replicas)". */
  corrected: string[];
  revision?: string;
}

/** An inventory with a word on where it comes from (e.g. a HelmRelease's failed revision). */
export interface InventoryView {
  items: InventoryItem[];
  note?: string;
}

/** Image scanning results, for ImageRepository and ImagePolicy objects. */
export interface ImageInfo {
  /** The image the policy selected (`repo:tag`). */
  latestImage?: string;
  /** Tags seen in the scanned repository, newest scan. */
  tags: string[];
  /** Total tag count (the list may be cut short). */
  tagCount: number;
}

/** An object that renders from this one (its source) or lists it in dependsOn. */
export interface DependantLink {
  key: string;
  /** "source" when it renders from this object, "dependsOn" when it waits for it. */
  relation: "source" | "dependsOn";
  ready: ReadyState;
  reason: string;
}

export interface ObjectDetails {
  row: OverviewRow;
  /** The config document as written, as YAML, Secret-like values masked. */
  configYaml?: string;
  /** Where a not-ready state comes from, in one sentence (explainWaiting). */
  rootCause?: string;
  dependencies: DependencyLink[];
  /** What uses this object: a source's consumers, a dependency's dependants. */
  dependants?: DependantLink[];
  inventory: InventoryItem[];
  /** Why the inventory is empty or partial, when it could not be read. */
  inventoryNote?: string;
  history: ReconcileRecord[];
  drift: DriftRecord[];
  images?: ImageInfo;
}

/** The read-only view of the agent the status page renders. */
export interface StatusPageSource {
  overview(): OverviewRow[];
  /** Undefined when the agent does not reconcile such an object. */
  details(key: string): Promise<ObjectDetails | undefined>;
  /** Called with the key of an object whenever anything about it changed. */
  subscribe(listener: (key: string) => void): () => void;
  /**
   * Problems of the agent itself, in words (another agent on the cluster): what
   * `/api/v1/status` reports as `warnings`. Read again on every page view and, while a page is
   * open, every second.
   */
  warnings?(): string[];
}
