// What skiff remembers about each HelmRelease between runs, as helm-controller keeps it in
// status: failure counts per action, the last attempted chart and values, the conditions
// (Ready, Released, TestSuccess, Remediated) and a summary of the release history.
import type { Release } from "../../lib/helm/release/mod.ts";

export interface Condition {
  type: "Ready" | "Released" | "TestSuccess" | "Remediated";
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastTransitionTime: string;
}

/** One revision as Flux's status.history summarises it. */
export interface Snapshot {
  version: number;
  name: string;
  namespace: string;
  chartName: string;
  chartVersion: string;
  status: string;
  configDigest?: string;
  firstDeployed?: string;
  lastDeployed?: string;
  testHooks?: Record<string, { phase: string; lastStarted?: string; lastCompleted?: string }>;
}

/** A Helm release's identity: its name, namespace and the namespace of its storage. */
export interface ReleaseCoordinates {
  name: string;
  namespace: string;
  storageNamespace: string;
}

export function sameRelease(a: ReleaseCoordinates, b: ReleaseCoordinates): boolean {
  return a.name === b.name && a.namespace === b.namespace &&
    a.storageNamespace === b.storageNamespace;
}

export interface HelmReleaseState {
  installFailures: number;
  upgradeFailures: number;
  /** Every failed reconcile since the last success (Flux's status.failures). */
  failures: number;
  /** chart version + values digest of the last attempt; a different one resets the counts. */
  lastAttempted?: { chartVersion: string; valuesDigest: string };
  /** The Helm action attempted last: its remediation budget applies to the next attempt. */
  lastAction?: "install" | "upgrade";
  lastAttemptedRevision?: string;
  lastAttemptedValuesDigest?: string;
  /**
   * Where the release was last made (Flux's status.storageNamespace and history[0]): when the
   * spec moves it, the old release is uninstalled first.
   */
  release?: ReleaseCoordinates;
  /** The `reconcile.fluxcd.io/resetAt` value acted on last (Flux's status.lastHandledResetAt). */
  lastHandledResetAt?: string;
  /** The `reconcile.fluxcd.io/forceAt` value acted on last (Flux's status.lastHandledForceAt). */
  lastHandledForceAt?: string;
  /** Digest of postRenderers and commonMetadata the deployed revision was rendered with. */
  observedPostRenderersDigest?: string;
  conditions: Condition[];
  history: Snapshot[];
  /** Set once the stored state (stored_state.ts) was read; what was last read or written. */
  persisted?: string;
}

const states = new WeakMap<object, Map<string, HelmReleaseState>>();

/** The state of one HelmRelease (by object key), kept per agent environment. */
export function helmReleaseState(env: object, key: string): HelmReleaseState {
  let byKey = states.get(env);
  if (!byKey) states.set(env, byKey = new Map());
  let s = byKey.get(key);
  if (!s) {
    byKey.set(
      key,
      s = { installFailures: 0, upgradeFailures: 0, failures: 0, conditions: [], history: [] },
    );
  }
  return s;
}

export function forgetHelmReleaseState(env: object, key: string): void {
  states.get(env)?.delete(key);
}

export function setCondition(
  state: HelmReleaseState,
  type: Condition["type"],
  status: Condition["status"],
  reason: string,
  message: string,
): void {
  const previous = state.conditions.find((c) => c.type === type);
  const lastTransitionTime = previous && previous.status === status
    ? previous.lastTransitionTime
    : new Date().toISOString();
  state.conditions = [
    ...state.conditions.filter((c) => c.type !== type),
    { type, status, reason, message, lastTransitionTime },
  ];
}

export function snapshotOf(r: Release, configDigest?: string): Snapshot {
  const tests = (r.hooks ?? []).filter((h) => h.events?.includes("test") && h.last_run.phase);
  return {
    version: r.version,
    name: r.name,
    namespace: r.namespace,
    chartName: String(r.chart?.metadata?.name ?? ""),
    chartVersion: String(r.chart?.metadata?.version ?? ""),
    status: r.info.status ?? "unknown",
    configDigest,
    firstDeployed: r.info.first_deployed,
    lastDeployed: r.info.last_deployed,
    ...(tests.length > 0
      ? {
        testHooks: Object.fromEntries(tests.map((h) => [h.name ?? "", {
          phase: h.last_run.phase,
          lastStarted: h.last_run.started_at,
          lastCompleted: h.last_run.completed_at,
        }])),
      }
      : {}),
  };
}
