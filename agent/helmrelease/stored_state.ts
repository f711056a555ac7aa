// What helm-controller keeps in a HelmRelease's status and must survive a restart: the failure
// counters (installFailures, upgradeFailures, failures), the last attempted release action,
// chart version, revision and values digest, the last reset and force requests handled, where the release
// was made (name, namespace, storage namespace) and the conditions.
// skiff has no HelmRelease object in the cluster to hold a status, so it keeps them in one
// ConfigMap per HelmRelease in the agent's namespace, beside the Kustomization inventories:
// `skiff-hr-<namespace>-<name>`, labelled `skiff.dev/component: helmrelease-state`.
//
// Why not labels on the Helm release Secrets: an uninstall remediation deletes them, and the
// counters are exactly what must outlive it (a failed install is uninstalled, then retried
// within the budget). Why a ConfigMap and not a Secret: it holds counts, versions and digests,
// what `kubectl get helmrelease -o yaml` shows anyone who may read HelmReleases; no values.
import { KubeApiError, type KubeObject } from "../../lib/kube/mod.ts";
import { bookkeepingConfigMapName } from "../inventory/mod.ts";
import type { ReconcileEnv } from "../reconcile/types.ts";
import type { Condition, HelmReleaseState } from "./state.ts";

export const HELM_RELEASE_STATE_LABELS = {
  "app.kubernetes.io/managed-by": "skiff",
  "skiff.dev/component": "helmrelease-state",
};

const FIELD_MANAGER = "skiff-helmrelease";

/** The ConfigMap name for a HelmRelease: readable, and within the 253-character limit. */
export function stateConfigMapName(namespace: string, name: string): string {
  return bookkeepingConfigMapName("skiff-hr", namespace, name);
}

/** The persisted part of the state, as ConfigMap data (strings only). */
export function encodeState(state: HelmReleaseState): Record<string, string> {
  const data: Record<string, string> = {
    installFailures: String(state.installFailures),
    upgradeFailures: String(state.upgradeFailures),
    failures: String(state.failures),
    conditions: JSON.stringify(state.conditions),
  };
  const optional: [string, string | undefined][] = [
    ["lastAttemptedReleaseAction", state.lastAction],
    ["lastAttemptedChartVersion", state.lastAttempted?.chartVersion],
    ["lastAttemptedConfigDigest", state.lastAttempted?.valuesDigest],
    ["lastAttemptedRevision", state.lastAttemptedRevision],
    ["lastHandledResetAt", state.lastHandledResetAt],
    ["lastHandledForceAt", state.lastHandledForceAt],
    ["observedPostRenderersDigest", state.observedPostRenderersDigest],
    ["releaseName", state.release?.name],
    ["releaseNamespace", state.release?.namespace],
    ["storageNamespace", state.release?.storageNamespace],
  ];
  for (const [key, value] of optional) if (value !== undefined) data[key] = value;
  return data;
}

/** Fills `state` from ConfigMap data; unreadable fields are left at their defaults. */
export function decodeInto(state: HelmReleaseState, data: Record<string, string>): void {
  const count = (v: string | undefined) => {
    const n = Number(v);
    return Number.isInteger(n) && n >= 0 ? n : 0;
  };
  state.installFailures = count(data.installFailures);
  state.upgradeFailures = count(data.upgradeFailures);
  state.failures = count(data.failures);
  const action = data.lastAttemptedReleaseAction;
  if (action === "install" || action === "upgrade") state.lastAction = action;
  if (data.lastAttemptedChartVersion !== undefined && data.lastAttemptedConfigDigest) {
    state.lastAttempted = {
      chartVersion: data.lastAttemptedChartVersion,
      valuesDigest: data.lastAttemptedConfigDigest,
    };
    state.lastAttemptedValuesDigest = data.lastAttemptedConfigDigest;
  }
  if (data.lastAttemptedRevision) state.lastAttemptedRevision = data.lastAttemptedRevision;
  if (data.lastHandledResetAt) state.lastHandledResetAt = data.lastHandledResetAt;
  if (data.lastHandledForceAt) state.lastHandledForceAt = data.lastHandledForceAt;
  if (data.observedPostRenderersDigest) {
    state.observedPostRenderersDigest = data.observedPostRenderersDigest;
  }
  if (data.releaseName && data.releaseNamespace && data.storageNamespace) {
    state.release = {
      name: data.releaseName,
      namespace: data.releaseNamespace,
      storageNamespace: data.storageNamespace,
    };
  }
  try {
    const conditions = JSON.parse(data.conditions ?? "[]");
    if (Array.isArray(conditions)) state.conditions = conditions as Condition[];
  } catch {
    // A hand-edited or truncated list: conditions are rebuilt by the next run.
  }
}

export interface HelmReleaseRef {
  namespace: string;
  name: string;
}

/** Reads the stored state into `state` (once per agent); false when none was stored. */
export async function restoreState(
  env: ReconcileEnv,
  hr: HelmReleaseRef,
  state: HelmReleaseState,
): Promise<boolean> {
  const cm = await env.client.getIfExists(
    "v1",
    "ConfigMap",
    stateConfigMapName(hr.namespace, hr.name),
    env.inventories.namespace,
  );
  const data = (cm?.data ?? undefined) as Record<string, string> | undefined;
  if (data) decodeInto(state, data);
  state.persisted = data ? JSON.stringify(encodeState(state)) : "";
  return data !== undefined;
}

/** Writes the state when it changed since it was last read or written (one SSA request). */
export async function persistState(
  env: ReconcileEnv,
  hr: HelmReleaseRef,
  state: HelmReleaseState,
): Promise<void> {
  const data = encodeState(state);
  const text = JSON.stringify(data);
  if (text === state.persisted) return;
  const configMap: KubeObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: stateConfigMapName(hr.namespace, hr.name),
      namespace: env.inventories.namespace,
      labels: {
        ...HELM_RELEASE_STATE_LABELS,
        "skiff.dev/helmrelease-name": hr.name.slice(0, 63),
        "skiff.dev/helmrelease-namespace": hr.namespace,
      },
      annotations: { "skiff.dev/helmrelease": `${hr.namespace}/${hr.name}` },
    },
    data,
  };
  try {
    await env.client.apply(configMap, { fieldManager: FIELD_MANAGER, force: true });
  } catch (e) {
    // A fresh cluster may not have the agent's namespace yet.
    if (!(e instanceof KubeApiError && e.isNotFound)) throw e;
    await env.inventories.ensureNamespace();
    await env.client.apply(configMap, { fieldManager: FIELD_MANAGER, force: true });
  }
  state.persisted = text;
}

/** Removes the stored state (the HelmRelease left the config and was uninstalled). */
export async function removeState(env: ReconcileEnv, hr: HelmReleaseRef): Promise<void> {
  try {
    await env.client.delete({
      apiVersion: "v1",
      kind: "ConfigMap",
      name: stateConfigMapName(hr.namespace, hr.name),
      namespace: env.inventories.namespace,
    });
  } catch (e) {
    if (!(e instanceof KubeApiError && e.isNotFound)) throw e;
  }
}
