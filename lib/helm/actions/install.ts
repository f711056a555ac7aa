// `helm install`: render, CRDs, a pending-install revision, pre-install hooks, the manifest
// applied, wait, post-install hooks, then the revision is deployed ("Install complete") — or
// failed with Helm's description when any step fails. A name with history is refused unless
// `replace` reuses a deleted (uninstalled, history kept) or failed release, as Helm's --replace.
import type { Release } from "../release/mod.ts";
import { ZERO_TIME } from "../release/mod.ts";
import { installCrds } from "./crds.ts";
import { type ActionEnv, timestampOf } from "./env.ts";
import { HelmActionError } from "./errors.ts";
import { deployWithHooks } from "./hooked_deploy.ts";
import { markDeployed } from "./mark_deployed.ts";
import type { InstallOptions } from "./options.ts";
import { renderRelease } from "./render.ts";
import { failRelease } from "./fail.ts";

export async function install(env: ActionEnv, o: InstallOptions): Promise<Release> {
  const { storage } = env;
  const history = await storage.history(o.releaseName);
  const last = history.at(-1);
  // Helm's availableName: any revision holds the name, unless --replace reuses the name of a
  // release that was uninstalled with its history kept, or that failed.
  const reusable = last !== undefined && o.replace === true &&
    (last.info.status === "uninstalled" || last.info.status === "failed");
  if (last && !reusable) {
    const hint = last.info.status === "uninstalled" || last.info.status === "failed"
      ? "; replace (spec.install.replace) reuses the name of a deleted or failed release"
      : "";
    throw new HelmActionError(
      "ReleaseInUse",
      o.releaseName,
      storage.namespace,
      `cannot re-use a name that is still in use (revision ${last.version} is ${last.info.status})${hint}`,
    );
  }
  const version = (last?.version ?? 0) + 1;
  if (o.createNamespace) await ensureNamespace(env, o.namespace);
  const rendered = await renderRelease(env.client, {
    chart: o.chart,
    values: o.values,
    releaseName: o.releaseName,
    namespace: o.namespace,
    revision: version,
    isUpgrade: false,
    postRender: o.postRender,
    skipSchemaValidation: o.skipSchemaValidation,
  });
  const now = timestampOf(env);
  const release: Release = {
    name: o.releaseName,
    info: {
      first_deployed: now,
      last_deployed: now,
      deleted: ZERO_TIME,
      description: "Initial install underway",
      status: "pending-install",
      notes: rendered.notes || undefined,
    },
    chart: rendered.chart,
    config: o.values,
    manifest: rendered.manifest,
    hooks: rendered.hooks,
    version,
    namespace: o.namespace,
  };
  try {
    await installCrds(env, rendered.crds, o.crds ?? "Create");
    // Helm's replaceRelease: the reused revision is superseded, unless it failed.
    if (reusable && last.info.status !== "failed") {
      last.info.status = "superseded";
      last.info.description = "superseded by new release";
      await storage.update(last);
    }
    await storage.create(release);
    await deployWithHooks(env, {
      release,
      action: "install",
      namespace: o.namespace,
      behaviour: o,
    });
  } catch (e) {
    throw await failRelease(env, release, "InstallFailed", `Release "${o.releaseName}" failed`, e);
  }
  await markDeployed(env, release, [], o.maxHistory, "Install complete");
  return release;
}

async function ensureNamespace(env: ActionEnv, name: string): Promise<void> {
  if (await env.client.getIfExists("v1", "Namespace", name)) return;
  await env.client.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
}
