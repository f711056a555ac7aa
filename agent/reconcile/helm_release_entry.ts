// The HelmRelease reconciler as the registry holds it: what the scheduler needs (interval,
// dependsOn, source) is answered here; reconcile and finalize load ./helm_release.ts (lib/helm:
// Go templates, Sprig, JSON Schema) on first use, so an agent without HelmReleases never holds
// the Helm code in memory.
import type { HelmRelease } from "../config/mod.ts";
import { parseDurationMillis } from "../../lib/duration/mod.ts";
// Not ../helmrelease/mod.ts: that face loads lib/helm, which is what this file defers.
import { chartSourceKey } from "../helmrelease/source_key.ts";
import { objectKey } from "../status/mod.ts";
import type { Reconciler } from "./types.ts";

export function helmReleaseDependencies(hr: HelmRelease): string[] {
  return (hr.spec.dependsOn ?? []).map((d) =>
    objectKey("HelmRelease", d.namespace ?? hr.metadata.namespace, d.name)
  );
}

const load = () => import("./helm_release.ts");

export const helmReleaseReconciler: Reconciler<"HelmRelease"> = {
  kind: "HelmRelease",
  schedule: (hr) => ({
    intervalMs: parseDurationMillis(hr.spec.interval),
    // HelmRelease v2 has no retryInterval: a failed release is retried on its interval.
    retryIntervalMs: parseDurationMillis(hr.spec.interval),
    suspended: hr.spec.suspend,
  }),
  dependencies: helmReleaseDependencies,
  source: chartSourceKey,
  reconcile: async (hr, env, run) => await (await load()).reconcileHelmRelease(hr, env, run),
  finalize: async (hr, env) => await (await load()).finalizeHelmRelease(hr, env),
};
