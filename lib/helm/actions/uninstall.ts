// `helm uninstall`: pre-delete hooks, the release's objects deleted (newest kinds first, objects
// with `helm.sh/resource-policy: keep` left alone), post-delete hooks, then the history removed
// or, with keepHistory, the last revision marked uninstalled.
import type { KubeObject } from "../../kube/mod.ts";
import { deleteIfPresent, idOfObject } from "./delete_object.ts";
import type { Release } from "../release/mod.ts";
import { type ActionEnv, timestampOf } from "./env.ts";
import { HelmActionError } from "./errors.ts";
import { failRelease } from "./fail.ts";
import { runHooks } from "./hooks.ts";
import { isKept, manifestObjects, withNamespaces } from "./manifest_objects.ts";
import type { UninstallOptions } from "./options.ts";

const PROPAGATION = {
  background: "Background",
  foreground: "Foreground",
  orphan: "Orphan",
} as const;

export interface UninstallResult {
  release: Release;
  /** Objects deleted, as "Kind/namespace/name". */
  deleted: string[];
  /** Objects left by `helm.sh/resource-policy: keep`. */
  kept: string[];
}

export async function uninstall(env: ActionEnv, o: UninstallOptions): Promise<UninstallResult> {
  const { storage, client } = env;
  const history = await storage.history(o.releaseName);
  const release = history.at(-1);
  if (!release || release.info.status === "uninstalled") {
    throw new HelmActionError("ReleaseNotFound", o.releaseName, storage.namespace, "not found");
  }
  const namespace = release.namespace || o.namespace;
  release.info.status = "uninstalling";
  release.info.description = "Deletion in progress (or silently failed)";
  release.info.deleted = timestampOf(env);
  await storage.update(release);
  const deleted: string[] = [];
  const kept: string[] = [];
  try {
    const hookOptions = { namespace, timeoutMs: o.timeoutMs };
    if (!o.disableHooks) await runHooks(env, release.hooks, "pre-delete", hookOptions);
    const objects = await withNamespaces(
      client,
      manifestObjects(release.manifest ?? "", `release ${o.releaseName}`),
      namespace,
    );
    const propagation = PROPAGATION[o.deletionPropagation ?? "background"];
    // Reverse of install order, as Helm deletes.
    for (const obj of objects.reverse()) {
      const label = `${obj.kind}/${obj.metadata.namespace ?? ""}/${obj.metadata.name ?? ""}`;
      if (isKept(obj)) {
        kept.push(label);
        continue;
      }
      if (await deleteIfPresent(env.client, idOfObject(obj), propagation)) deleted.push(label);
    }
    if (o.wait ?? true) await waitGone(env, objects.filter((x) => !isKept(x)), o.timeoutMs);
    if (!o.disableHooks) await runHooks(env, release.hooks, "post-delete", hookOptions);
  } catch (e) {
    throw await failRelease(
      env,
      release,
      "UninstallFailed",
      `Uninstall "${o.releaseName}" failed`,
      e,
    );
  }
  if (o.keepHistory) {
    release.info.status = "uninstalled";
    release.info.description = "Uninstallation complete";
    await storage.update(release);
  } else {
    for (const r of history) await storage.delete(r.name, r.version);
  }
  return { release, deleted, kept };
}

async function waitGone(env: ActionEnv, objects: KubeObject[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const o of objects) {
    for (;;) {
      let live;
      try {
        live = await env.client.getIfExists(
          o.apiVersion,
          o.kind,
          o.metadata.name ?? "",
          o.metadata.namespace,
        );
      } catch {
        live = undefined; // the kind is gone with its CRD
      }
      if (!live) break;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${o.kind} ${o.metadata.name} to be deleted`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
