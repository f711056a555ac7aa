// Deleting what the previous inventory holds and the new set does not, and nothing else:
// objects that opted out, objects already terminating and objects another owner has since
// labelled are skipped; namespaces and CRDs go last, since deleting them deletes their contents.
import type { KubeClient } from "../client/mod.ts";
import { KubeApiError, UnknownKindError } from "../errors.ts";
import type { KubeObject, ObjectId } from "../types.ts";
import { isPruneDisabled, isReconcileDisabled } from "./annotations.ts";
import { ApplyError, type Change, type ObjectFailure } from "./changeset.ts";
import { entryId, type InventoryEntry } from "./inventory.ts";
import { mapLimited } from "./pool.ts";
import { pruneOrder } from "./staged.ts";

export interface PruneOptions {
  /** Labels the objects must still carry to be ours (Flux: kustomize.toolkit.fluxcd.io/name...). */
  ownerLabels?: Record<string, string>;
  dryRun?: boolean;
  concurrency?: number;
  propagationPolicy?: "Background" | "Foreground" | "Orphan";
}

/**
 * Deletes the given stale entries; returns deleted and skipped changes (objects already gone
 * are left out). Objects that could not be deleted are reported together in an ApplyError,
 * with the changes that did happen, after the rest of their wave was tried.
 */
export async function pruneEntries(
  client: KubeClient,
  stale: InventoryEntry[],
  options: PruneOptions = {},
): Promise<Change[]> {
  const sorted = [...stale].sort(pruneOrder);
  const waves = [
    sorted.filter((e) => e.kind !== "Namespace" && e.kind !== "CustomResourceDefinition"),
    sorted.filter((e) => e.kind === "Namespace"),
    sorted.filter((e) => e.kind === "CustomResourceDefinition"),
  ];
  const changes: Change[] = [];
  const failures: ObjectFailure[] = [];
  for (const wave of waves) {
    // Namespaces and CRDs are not deleted over contents that could not be pruned.
    if (failures.length > 0) break;
    const results = await mapLimited(wave, options.concurrency ?? 8, async (entry) => {
      try {
        return await pruneOne(client, entry, options);
      } catch (e) {
        failures.push({
          id: entryId(entry),
          reason: e instanceof Error ? e.message : String(e),
          error: e,
        });
        return undefined;
      }
    });
    for (const r of results) if (r) changes.push(r);
  }
  if (failures.length > 0) throw new ApplyError(failures, changes);
  return changes;
}

async function pruneOne(
  client: KubeClient,
  entry: InventoryEntry,
  options: PruneOptions,
): Promise<Change | undefined> {
  const id: ObjectId = entryId(entry);
  let live: KubeObject | undefined;
  try {
    live = await client.getIfExists(id.apiVersion, id.kind, id.name, id.namespace);
  } catch (e) {
    if (e instanceof UnknownKindError) return undefined; // its CRD is gone, and the object with it
    throw e;
  }
  if (!live) return undefined;
  const skipped = (reason: string): Change => ({ id, action: "skipped", reason });
  if (live.metadata.deletionTimestamp) return skipped("already being deleted");
  if (isPruneDisabled(live)) return skipped("has kustomize.toolkit.fluxcd.io/prune: disabled");
  if (isReconcileDisabled(live)) {
    return skipped("has kustomize.toolkit.fluxcd.io/reconcile: disabled");
  }
  const foreign = foreignOwner(live, options.ownerLabels);
  if (foreign) return skipped(foreign);
  try {
    await client.delete(id, {
      dryRun: options.dryRun,
      propagationPolicy: options.propagationPolicy ?? "Background",
      preconditions: { uid: live.metadata.uid },
    });
  } catch (e) {
    if (e instanceof KubeApiError && e.isNotFound) return undefined;
    // A uid precondition failure means the object was replaced by someone else: not ours.
    if (e instanceof KubeApiError && e.isConflict) {
      return skipped("was replaced since it was applied");
    }
    throw e;
  }
  return { id, action: "deleted", reason: options.dryRun ? "would be pruned" : "pruned" };
}

/** Why the live object is not ours any more, judged by the owner labels; undefined if it is. */
function foreignOwner(
  live: KubeObject,
  ownerLabels: Record<string, string> | undefined,
): string | undefined {
  if (!ownerLabels) return undefined;
  const labels = live.metadata.labels ?? {};
  const mismatched = Object.entries(ownerLabels).filter(([k, v]) => labels[k] !== v);
  if (mismatched.length === 0) return undefined;
  const now = mismatched.map(([k]) => `${k}=${labels[k] ?? "(unset)"}`).join(", ");
  return `owned by another owner now (${now})`;
}
