// One reconciler per kind, and the registry the agent drives them through.
export type { DriftTracker, Outcome, ReconcileEnv, Reconciler, RunContext } from "./types.ts";
export { defaultReconcilers, ReconcilerRegistry } from "./registry.ts";
export {
  DEPENDENCY_REQUEUE_MS,
  finalizeKustomization,
  kustomizationReconciler,
  ownerLabelsOf,
  reconcileKustomization,
  sourceKeyOf,
} from "./kustomization.ts";
export { gitRepositoryReconciler, reconcileGitRepository } from "./git_repository.ts";
export { postBuildVars } from "./post_build_vars.ts";
export {
  finalizeHelmRelease,
  helmReleaseLabels,
  helmReleaseReconciler,
  reconcileHelmRelease,
} from "./helm_release.ts";
