// `helm rollback`: a new revision that copies an earlier one (chart, values, manifest, hooks),
// its manifest re-applied with pre/post-rollback hooks; the deployed revision becomes
// superseded and the new one says "Rollback to N", as Helm records it. With recreate, the Pods
// of updated workloads are deleted to restart (Helm 3); with cleanupOnFail, objects a failed
// apply created are deleted again.
import type { Release } from "../release/mod.ts";
import { ZERO_TIME } from "../release/mod.ts";
import { type ActionEnv, timestampOf } from "./env.ts";
import { HelmActionError } from "./errors.ts";
import { failRelease } from "./fail.ts";
import { deployWithHooks } from "./hooked_deploy.ts";
import { markDeployed } from "./mark_deployed.ts";
import type { RollbackOptions } from "./options.ts";
import { unlockPending } from "./unlock.ts";
import { recreatePods } from "./recreate_pods.ts";
import { manifestObjects, withNamespaces } from "./manifest_objects.ts";
import { deleteIfPresent, idOfObject } from "./delete_object.ts";

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
  // For cleanupOnFail: what of the target manifest exists before the rollback touches it.
  const existing = o.cleanupOnFail ? await existingIds(env, release) : undefined;
  let applied = false;
  try {
    await deployWithHooks(env, {
      release,
      action: "rollback",
      namespace: release.namespace,
      previousManifest: current.manifest ?? "",
      behaviour: o,
      beforeWait: async (changes) => {
        applied = true;
        if (!o.recreate) return;
        // Helm 3 restarts the Pods of every object the rollback updated (not created).
        const updated = changes.changes.filter((c) =>
          c.action === "configured" ||
          c.action === "unchanged"
        ).map((c) => c.id);
        const pods = await recreatePods(env.client, updated, (m) => env.log?.(m));
        if (pods.length > 0) env.log?.(`recreated pods: ${pods.join(", ")}`);
      },
    });
  } catch (e) {
    // Helm 3 cleans up only when updating the objects failed, not after a failed wait.
    if (existing && !applied) await deleteNew(env, release, existing);
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

function idOf(
  o: { apiVersion: string; kind: string; metadata: { name?: string; namespace?: string } },
) {
  return `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`;
}

async function targetObjects(env: ActionEnv, release: Release) {
  return await withNamespaces(
    env.client,
    manifestObjects(release.manifest ?? "", `release ${release.name}`),
    release.namespace,
  );
}

async function existingIds(env: ActionEnv, release: Release): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const o of await targetObjects(env, release)) {
    const live = await env.client.getIfExists(
      o.apiVersion,
      o.kind,
      o.metadata.name ?? "",
      o.metadata.namespace,
    );
    if (live) ids.add(idOf(o));
  }
  return ids;
}

/** Helm's --cleanup-on-fail for rollback: objects the failed apply created are deleted again. */
async function deleteNew(env: ActionEnv, release: Release, existing: Set<string>): Promise<void> {
  for (const o of await targetObjects(env, release)) {
    if (existing.has(idOf(o))) continue;
    await deleteIfPresent(env.client, idOfObject(o));
  }
}
