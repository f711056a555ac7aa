/** Flux's reasons for a failed Helm action, carried unchanged into status and events. */
export type ActionReason =
  | "InstallFailed"
  | "UpgradeFailed"
  | "RollbackFailed"
  | "UninstallFailed"
  | "TestFailed"
  | "ReleaseNotFound"
  | "ReleaseInUse";

/** A Helm action failed: which action, on which release, why, and the underlying error. */
export class HelmActionError extends Error {
  override readonly name = "HelmActionError";
  constructor(
    readonly reason: ActionReason,
    readonly release: string,
    readonly namespace: string,
    readonly detail: string,
    override readonly cause?: unknown,
  ) {
    super(`release ${namespace}/${release}: ${detail}`);
  }
}

/** A hook resource ended in failure (a Job that failed, a Pod in phase Failed) or timed out. */
export class HookFailedError extends Error {
  override readonly name = "HookFailedError";
  constructor(readonly event: string, readonly hook: string, readonly detail: string) {
    super(`${event} hook ${hook} failed: ${detail}`);
  }
}
