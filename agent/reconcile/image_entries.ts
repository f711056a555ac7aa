// The image reconcilers as the registry holds them: scheduling is answered here; the steps
// (lib/images, lib/registry, and Go templates with Sprig for commit messages) load on first use,
// so an agent without image automation never holds that code in memory.
import { intervalSchedule } from "./interval_schedule.ts";
import type { Reconciler } from "./types.ts";

/** Policies have no interval of their own: they run when their repository's tags change. */
export const POLICY_INTERVAL_MS = 10 * 60_000;

const repository = () => import("./image_repository.ts");
const policy = () => import("./image_policy.ts");
const automation = () => import("./image_update_automation.ts");

export const imageRepositoryReconciler: Reconciler<"ImageRepository"> = {
  kind: "ImageRepository",
  schedule: (r) => intervalSchedule(r.spec),
  reconcile: async (r, env) => await (await repository()).reconcileImageRepository(r, env),
};

export const imagePolicyReconciler: Reconciler<"ImagePolicy"> = {
  kind: "ImagePolicy",
  schedule: (p) => ({
    intervalMs: POLICY_INTERVAL_MS,
    retryIntervalMs: POLICY_INTERVAL_MS,
    suspended: p.spec.suspend,
  }),
  reconcile: async (p, env) => await (await policy()).reconcileImagePolicy(p, env),
};

export const imageUpdateAutomationReconciler: Reconciler<"ImageUpdateAutomation"> = {
  kind: "ImageUpdateAutomation",
  schedule: (a) => intervalSchedule(a.spec),
  reconcile: async (a, env) => await (await automation()).reconcileImageUpdateAutomation(a, env),
};
