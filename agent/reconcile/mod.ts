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
export { ociRepositoryReconciler, reconcileOciRepository } from "./oci_repository.ts";
export { postBuildVars } from "./post_build_vars.ts";
// The HelmRelease steps themselves (./helm_release.ts) load on first use; see helm_release_entry.ts.
export { helmReleaseDependencies, helmReleaseReconciler } from "./helm_release_entry.ts";
export { DecryptionKeysError, decryptorFor } from "./decryption_keys.ts";
export { helmRepositoryReconciler, reconcileHelmRepository } from "./helm_repository.ts";
