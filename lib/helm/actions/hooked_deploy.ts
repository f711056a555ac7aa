// The step install, upgrade and rollback share: the pre-<action> hooks, the revision's manifest
// applied (objects of the previous revision that left it pruned) and waited for, then the
// post-<action> hooks. A manifest still not ready at the deadline fails as Helm's wait does.
import type { Release } from "../release/mod.ts";
import { deployManifest, type DeployOptions, type DeployResult } from "./deploy.ts";
import type { ActionEnv } from "./env.ts";
import { runHooks } from "./hooks.ts";
import type { DeployBehaviour } from "./options.ts";

export interface HookedDeploy {
  release: Release;
  /** Names the hooks that run: `pre-<action>` and `post-<action>`. */
  action: "install" | "upgrade" | "rollback";
  /** Where the manifest and hooks go. */
  namespace: string;
  /** The manifest of the revision being replaced (none on install). */
  previousManifest?: string;
  behaviour: DeployBehaviour;
  /**
   * Called once the manifest is applied, before the wait verdict and post hooks, so a caller
   * can learn what was created even when a later step fails (upgrade's cleanupOnFail).
   */
  onApplied?: (result: DeployResult) => void;
  /** Runs after the apply, before the wait (rollback's recreate-pods). */
  beforeWait?: DeployOptions["beforeWait"];
}

export async function deployWithHooks(env: ActionEnv, d: HookedDeploy): Promise<DeployResult> {
  const o = d.behaviour;
  const hooks = d.release.hooks;
  const hookOptions = { namespace: d.namespace, timeoutMs: o.timeoutMs };
  if (!o.disableHooks) await runHooks(env, hooks, `pre-${d.action}`, hookOptions);
  const result = await deployManifest(env, {
    release: d.release.name,
    namespace: d.namespace,
    manifest: d.release.manifest ?? "",
    previousManifest: d.previousManifest,
    labels: o.labels,
    force: o.force,
    wait: o.wait ?? true,
    waitForJobs: o.waitForJobs ?? true,
    timeoutMs: o.timeoutMs,
    beforeWait: d.beforeWait,
  });
  d.onApplied?.(result);
  if (result.notReady) throw new Error(`timed out waiting for the condition: ${result.notReady}`);
  if (!o.disableHooks) await runHooks(env, hooks, `post-${d.action}`, hookOptions);
  return result;
}
