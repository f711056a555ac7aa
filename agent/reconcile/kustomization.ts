// Kustomization: source artifact → render → record a pending inventory → apply (staged SSA, prune
// by inventory) → store the inventory → health → status. Each step fails with its own reason (DependencyNotReady,
// ArtifactFailed, BuildFailed, ReconciliationFailed, PruneFailed, HealthCheckFailed) and the
// cluster is left exactly as it was when rendering fails.
import type { Kustomization } from "../config/mod.ts";
import {
  ApplyError,
  type ChangeSet,
  type HealthReport,
  ImmutableFieldError,
  Inventory,
  KubeApiError,
  type ObjectId,
  PruneRefusedError,
  waitForReady,
} from "../../lib/kube/mod.ts";
import { parseDurationMillis } from "../../lib/duration/mod.ts";
import { pendingInventory, type StoredState } from "../inventory/mod.ts";
import { BuildFailedError, renderKustomization, type RenderResult } from "../render/mod.ts";
import { SourceNotReadyError } from "../sources/mod.ts";
import { objectKey } from "../status/mod.ts";
import { SecretNotFoundError } from "../cluster/secrets.ts";
import { DecryptionKeysError, decryptorFor } from "./decryption_keys.ts";
import { dependenciesReady } from "./dependencies.ts";
import { postBuildVars, VarsNotFoundError } from "./post_build_vars.ts";
import type { Outcome, ReconcileEnv, Reconciler, RunContext } from "./types.ts";

/** Flux's --requeue-dependency default: how soon a waiting Kustomization looks again. */
export const DEPENDENCY_REQUEUE_MS = 30_000;

export const kustomizationReconciler: Reconciler<"Kustomization"> = {
  kind: "Kustomization",
  schedule: (k) => ({
    intervalMs: parseDurationMillis(k.spec.interval),
    retryIntervalMs: parseDurationMillis(k.spec.retryInterval),
    suspended: k.spec.suspend,
  }),
  dependencies: (k) =>
    (k.spec.dependsOn ?? []).map((d) =>
      objectKey("Kustomization", d.namespace ?? k.metadata.namespace, d.name)
    ),
  source: sourceKeyOf,
  reconcile: reconcileKustomization,
  finalize: finalizeKustomization,
};

export function sourceKeyOf(k: Kustomization): string {
  const ref = k.spec.sourceRef;
  return objectKey(ref.kind, ref.namespace ?? k.metadata.namespace, ref.name);
}

export function ownerLabelsOf(k: Kustomization): Record<string, string> {
  return {
    "kustomize.toolkit.fluxcd.io/name": k.metadata.name,
    "kustomize.toolkit.fluxcd.io/namespace": k.metadata.namespace,
  };
}

export async function reconcileKustomization(
  k: Kustomization,
  env: ReconcileEnv,
  run: RunContext,
): Promise<Outcome> {
  const key = objectKey("Kustomization", k.metadata.namespace, k.metadata.name);

  const deps = dependenciesReady(
    key,
    kustomizationReconciler.dependencies!(k),
    (dep) => {
      const d = env.config.get("Kustomization", ...splitKey(dep));
      return d ? sourceKeyOf(d) : undefined;
    },
    env.statuses,
    env.artifacts,
  );
  if (!deps.ready) {
    return {
      ready: "False",
      reason: "DependencyNotReady",
      message: deps.message,
      requeueAfterMs: DEPENDENCY_REQUEUE_MS,
    };
  }

  let rendered: RenderResult;
  let revision: string;
  try {
    const artifact = env.artifacts.require(sourceKeyOf(k)); //          fails: ArtifactFailed
    revision = artifact.revision;
    const vars = await postBuildVars(k, env.client, env.logger.secrets); // fails: VarsNotFound
    const decryptor = await decryptorFor(k, env.client, env.logger.secrets); // fails: BuildFailed
    rendered = await renderKustomization(artifact, k.spec, { vars, decryptor }); // BuildFailed
  } catch (e) {
    if (e instanceof SourceNotReadyError) {
      return { ready: "False", reason: "ArtifactFailed", message: e.message };
    }
    if (
      e instanceof VarsNotFoundError || e instanceof DecryptionKeysError ||
      e instanceof SecretNotFoundError
    ) {
      return { ready: "False", reason: "BuildFailed", message: e.message };
    }
    if (e instanceof BuildFailedError) {
      return {
        ready: "False",
        reason: "BuildFailed",
        message: `kustomize build failed: ${e.message}`,
        attemptedRevision: env.artifacts.get(sourceKeyOf(k))?.revision,
      };
    }
    throw e;
  }

  const previous = await env.inventories.load(k.metadata.namespace, k.metadata.name);
  // Nothing rendered differently and nothing skiff applied was touched since the last good
  // run: no API calls at all.
  if (
    !run.force && previous && env.statuses.get(key)?.ready === "True" &&
    previous.renderedDigest === rendered.digest &&
    previous.revision === revision &&
    env.drift?.unchangedSince(key, Date.parse(previous.appliedAt)) === true
  ) {
    return {
      ready: "True",
      reason: "ReconciliationSucceeded",
      message: `Applied revision: ${revision}`,
      revision,
      inventorySize: previous.inventory.size,
    };
  }

  // Before the first write, everything this apply may create is recorded as ours: a kill
  // mid-apply then leaves no orphans, the next successful apply prunes what left Git meanwhile.
  // Skipped when the stored inventory already covers the set (no extra request on a no-op).
  const pending = pendingInventory(previous?.inventory, rendered.objects);
  let changes: ChangeSet;
  try {
    if (pending) {
      await env.inventories.savePending(k.metadata.namespace, k.metadata.name, pending, previous);
    }
    changes = await env.engine.applySet(rendered.objects, previous?.inventory, {
      ownerLabels: ownerLabelsOf(k),
      prune: k.spec.prune,
      force: k.spec.force,
      serviceAccount: k.spec.serviceAccountName
        ? { name: k.spec.serviceAccountName, namespace: k.metadata.namespace }
        : undefined,
    });
  } catch (e) {
    const message = e instanceof PruneRefusedError
      ? emptyRenderMessage(k, revision, e)
      : applyFailureMessage(e);
    if (message === undefined) throw e;
    return {
      ready: "False",
      reason: e instanceof PruneRefusedError ? "PruneFailed" : "ReconciliationFailed",
      message,
      attemptedRevision: revision,
      revision: previous?.revision,
    };
  }

  const appliedAt = new Date();
  const state: StoredState = {
    inventory: changes.inventory,
    revision,
    renderedDigest: rendered.digest,
    appliedAt: appliedAt.toISOString(),
  };
  await env.inventories.save(k.metadata.namespace, k.metadata.name, state);
  env.drift?.track(key, idsOf(changes.inventory), appliedAt.getTime());
  for (const c of changes.changes) {
    if (c.action !== "unchanged") {
      env.logger.info(`${c.action} ${describe(c.id)}`, { kustomization: key });
    }
  }

  const health = await checkHealth(k, changes, env);
  if (health && !health.ready) {
    return {
      ready: "False",
      reason: "HealthCheckFailed",
      message: env.signal.aborted
        ? "health check interrupted by shutdown"
        : health.timedOut
        ? `health check timed out after ${k.spec.timeout}: ${health.summary}`
        : `health check failed: ${health.summary}`,
      revision,
      attemptedRevision: revision,
      applied: changes.changed,
      inventorySize: changes.inventory.size,
      changes: changes.changes,
    };
  }
  return {
    ready: "True",
    reason: "ReconciliationSucceeded",
    message: `Applied revision: ${revision}`,
    revision,
    attemptedRevision: revision,
    applied: changes.changed,
    inventorySize: changes.inventory.size,
    changes: changes.changes,
  };
}

/** spec.wait checks everything applied; spec.healthChecks only the listed objects. */
function checkHealth(
  k: Kustomization,
  changes: ChangeSet,
  env: ReconcileEnv,
): Promise<HealthReport> | undefined {
  const ids: ObjectId[] = k.spec.wait ? changes.applied : (k.spec.healthChecks ?? []).map((h) => ({
    apiVersion: h.apiVersion ?? "v1",
    kind: h.kind,
    name: h.name,
    namespace: h.namespace,
  }));
  if (ids.length === 0) return undefined;
  // waitForReady never notices a signal that was aborted before it started listening.
  if (env.signal.aborted) {
    return Promise.resolve({
      ready: false,
      objects: [],
      notReady: [],
      timedOut: false,
      summary: "",
    });
  }
  return waitForReady(env.client, ids, {
    timeoutMs: parseDurationMillis(k.spec.timeout),
    signal: env.signal,
  });
}

/** The object left the config: its objects go per spec.deletionPolicy (Flux's rules). */
export async function finalizeKustomization(k: Kustomization, env: ReconcileEnv): Promise<void> {
  const key = objectKey("Kustomization", k.metadata.namespace, k.metadata.name);
  env.drift?.forget(key);
  const stored = await env.inventories.load(k.metadata.namespace, k.metadata.name);
  if (stored) {
    await env.engine.deleteInventory(stored.inventory, k.spec.deletionPolicy, {
      prune: k.spec.prune,
      ownerLabels: ownerLabelsOf(k),
    });
  }
  await env.inventories.remove(k.metadata.namespace, k.metadata.name);
}

/** The library's refusal, worded for the agent: which path, and how to empty it on purpose. */
function emptyRenderMessage(k: Kustomization, revision: string, e: PruneRefusedError): string {
  return `spec.path ${k.spec.path} rendered no objects at revision ${revision} while the ` +
    `inventory holds ${e.inventorySize}; nothing was pruned (a wrong path or an emptied ` +
    `source looks exactly like this). To delete them on purpose, remove the Kustomization ` +
    `from the config: its deletionPolicy applies`;
}

function applyFailureMessage(e: unknown): string | undefined {
  if (
    e instanceof ApplyError || e instanceof PruneRefusedError || e instanceof ImmutableFieldError
  ) {
    return e.message;
  }
  if (e instanceof KubeApiError) return e.message;
  return undefined;
}

function idsOf(inventory: Inventory): ObjectId[] {
  return inventory.entries().map((e) => ({
    apiVersion: e.group ? `${e.group}/${e.version}` : e.version,
    kind: e.kind,
    namespace: e.namespace || undefined,
    name: e.name,
  }));
}

function describe(id: ObjectId): string {
  return `${id.kind} ${id.namespace ? id.namespace + "/" : ""}${id.name}`;
}

function splitKey(key: string): [string, string] {
  const [, namespace, name] = key.split("/");
  return [namespace, name];
}
