// `helm upgrade`: a new revision rendered from the chart and values, pre-upgrade hooks, the
// manifest applied with objects that left the chart deleted, wait, post-upgrade hooks; the
// replaced revision becomes superseded and history is pruned to maxHistory.
import type { Release } from "../release/mod.ts";
import { ZERO_TIME } from "../release/mod.ts";
import { installCrds } from "./crds.ts";
import { type ActionEnv, timestampOf } from "./env.ts";
import { HelmActionError } from "./errors.ts";
import { failRelease } from "./fail.ts";
import { deployWithHooks } from "./hooked_deploy.ts";
import { markDeployed } from "./mark_deployed.ts";
import type { UpgradeOptions } from "./options.ts";
import { renderRelease } from "./render.ts";
import { unlockPending } from "./unlock.ts";
import type { ObjectId } from "../../kube/mod.ts";
import { deleteIfPresent } from "./delete_object.ts";
import type { Table } from "../values/mod.ts";

function isTable(v: unknown): v is Table {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** `over` merged onto `base` map by map (the new values win). */
function mergeOver(base: Table, over: Table): Table {
  const out: Table = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isTable(b) && isTable(v) ? mergeOver(b, v) : v;
  }
  return out;
}

async function deleteCreated(env: ActionEnv, ids: ObjectId[]): Promise<void> {
  for (const id of ids) await deleteIfPresent(env.client, id);
}

export async function upgrade(env: ActionEnv, o: UpgradeOptions): Promise<Release> {
  const { storage } = env;
  const history = await unlockPending(env, await storage.history(o.releaseName));
  const last = history.at(-1);
  if (!last || last.info.status === "uninstalled") {
    throw new HelmActionError(
      "ReleaseNotFound",
      o.releaseName,
      storage.namespace,
      "has no deployed releases",
    );
  }
  const current = history.filter((r) => r.info.status === "deployed").at(-1) ?? last;
  const version = last.version + 1;
  // Helm's --reuse-values: the new values over the current revision's.
  const values = o.reuseValues ? mergeOver(current.config ?? {}, o.values) : o.values;
  const rendered = await renderRelease(env.client, {
    chart: o.chart,
    values,
    releaseName: o.releaseName,
    namespace: o.namespace,
    revision: version,
    isUpgrade: true,
    postRender: o.postRender,
    skipSchemaValidation: o.skipSchemaValidation,
  });
  const release: Release = {
    name: o.releaseName,
    info: {
      first_deployed: current.info.first_deployed,
      last_deployed: timestampOf(env),
      deleted: ZERO_TIME,
      description: "Preparing upgrade",
      status: "pending-upgrade",
      notes: rendered.notes || undefined,
    },
    chart: rendered.chart,
    config: values,
    manifest: rendered.manifest,
    hooks: rendered.hooks,
    version,
    namespace: o.namespace,
  };
  await storage.create(release);
  let created: ObjectId[] = [];
  try {
    await installCrds(env, rendered.crds, o.crds ?? "Skip");
    await deployWithHooks(env, {
      release,
      action: "upgrade",
      namespace: o.namespace,
      previousManifest: current.manifest ?? "",
      behaviour: o,
      onApplied: (result) => {
        created = result.changes.changes.filter((c) => c.action === "created").map((c) => c.id);
      },
    });
  } catch (e) {
    // Helm's --cleanup-on-fail: what this upgrade created goes again.
    if (o.cleanupOnFail) await deleteCreated(env, created);
    throw await failRelease(env, release, "UpgradeFailed", `Upgrade "${o.releaseName}" failed`, e);
  }
  await markDeployed(env, release, history, o.maxHistory, "Upgrade complete");
  return release;
}
