// `helm rollback`: a new revision that copies an earlier one (chart, values, manifest, hooks),
// its manifest re-applied with pre/post-rollback hooks; the deployed revision becomes
// superseded and the new one says "Rollback to N", as Helm records it.
import type { Release } from "../release/mod.ts";
import { ZERO_TIME } from "../release/mod.ts";
import { type ActionEnv, timestampOf } from "./env.ts";
import { HelmActionError } from "./errors.ts";
import { failRelease } from "./fail.ts";
import { deployWithHooks } from "./hooked_deploy.ts";
import { markDeployed } from "./mark_deployed.ts";
import type { RollbackOptions } from "./options.ts";
import { unlockPending } from "./unlock.ts";

export async function rollback(env: ActionEnv, o: RollbackOptions): Promise<Release> {
  const { storage } = env;
  const history = await unlockPending(env, await storage.history(o.releaseName));
  const current = history.at(-1);
  if (!current) {
    throw new HelmActionError("ReleaseNotFound", o.releaseName, storage.namespace, "no revisions");
  }
  const target = o.toVersion !== undefined
    ? history.find((r) => r.version === o.toVersion)
    : history.filter((r) =>
      r.version < current.version &&
      (r.info.status === "superseded" || r.info.status === "deployed")
    ).at(-1);
  if (!target) {
    throw new HelmActionError(
      "RollbackFailed",
      o.releaseName,
      storage.namespace,
      o.toVersion !== undefined
        ? `revision ${o.toVersion} not found`
        : "no earlier successful revision to roll back to",
    );
  }
  const release: Release = {
    name: o.releaseName,
    info: {
      first_deployed: current.info.first_deployed,
      last_deployed: timestampOf(env),
      deleted: ZERO_TIME,
      description: `Rollback to ${target.version}`,
      status: "pending-rollback",
      notes: target.info.notes,
    },
    chart: target.chart,
    config: target.config,
    manifest: target.manifest,
    hooks: (target.hooks ?? []).map((h) => ({
      ...h,
      last_run: { started_at: ZERO_TIME, completed_at: ZERO_TIME, phase: "" },
    })),
    version: current.version + 1,
    namespace: target.namespace || o.namespace,
  };
  await storage.create(release);
  try {
    await deployWithHooks(env, {
      release,
      action: "rollback",
      namespace: release.namespace,
      previousManifest: current.manifest ?? "",
      behaviour: o,
    });
  } catch (e) {
    throw await failRelease(
      env,
      release,
      "RollbackFailed",
      `Rollback "${o.releaseName}" failed`,
      e,
    );
  }
  // A failed current revision stays failed in history; the description stays "Rollback to N".
  await markDeployed(env, release, history, o.maxHistory);
  return release;
}
