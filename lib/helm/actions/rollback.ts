// `helm rollback`: a new revision that copies an earlier one (chart, values, manifest, hooks),
// its manifest re-applied with pre/post-rollback hooks; the deployed revision becomes
// superseded and the new one says "Rollback to N", as Helm records it.
import type { Release } from "../release/mod.ts";
import { ZERO_TIME } from "../release/mod.ts";
import { deployManifest } from "./deploy.ts";
import { type ActionEnv, timestampOf } from "./env.ts";
import { HelmActionError } from "./errors.ts";
import { failRelease } from "./fail.ts";
import { runHooks } from "./hooks.ts";
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
    const hookOptions = { namespace: release.namespace, timeoutMs: o.timeoutMs };
    if (!o.disableHooks) await runHooks(env, release.hooks, "pre-rollback", hookOptions);
    const result = await deployManifest(env, {
      release: o.releaseName,
      namespace: release.namespace,
      manifest: release.manifest ?? "",
      previousManifest: current.manifest ?? "",
      labels: o.labels,
      force: o.force,
      wait: o.wait ?? true,
      waitForJobs: o.waitForJobs ?? true,
      timeoutMs: o.timeoutMs,
    });
    if (result.notReady) throw new Error(`timed out waiting for the condition: ${result.notReady}`);
    if (!o.disableHooks) await runHooks(env, release.hooks, "post-rollback", hookOptions);
  } catch (e) {
    throw await failRelease(
      env,
      release,
      "RollbackFailed",
      `Rollback "${o.releaseName}" failed`,
      e,
    );
  }
  // Helm supersedes every deployed revision; a failed current one stays failed in history.
  for (const r of history.filter((r) => r.info.status === "deployed")) {
    r.info.status = "superseded";
    await storage.update(r);
  }
  release.info.status = "deployed";
  await storage.update(release);
  if (o.maxHistory) await storage.pruneHistory(o.releaseName, o.maxHistory);
  return release;
}
