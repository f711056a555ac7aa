// The apply engine a Kustomization reconcile calls: normalise the rendered objects, apply them
// stage by stage with server-side apply (dry-run first, writing only what changed), wait for
// definitions between stages, prune what left the set, and hand back the change set and the
// new inventory.
import type { KubeClient } from "../client/mod.ts";
import type { Impersonation } from "../config/mod.ts";
import { jsonEqual, withoutServerFields } from "../diff/mod.ts";
import { describeId, idOf, type KubeObject, refKey, refOf } from "../types.ts";
import {
  ApplyError,
  type Change,
  type ChangeSet,
  type ObjectFailure,
  PruneRefusedError,
} from "./changeset.ts";
import { entryId, Inventory, type InventoryEntry } from "./inventory.ts";
import { pendingDefinition, settleDefinitions } from "./definitions.ts";
import { normalizeObjects } from "./normalize.ts";
import { executePlan, type ObjectPlan, type PlanContext, planObject } from "./object_apply.ts";
import { readLive } from "./live.ts";
import { mapLimited } from "./pool.ts";
import { pruneEntries } from "./prune.ts";
import { type Stage, stageObjects } from "./staged.ts";

export interface EngineOptions {
  /** Field manager of every apply (default "skiff"). */
  fieldManager?: string;
  /** API calls in flight at most (default 8). */
  concurrency?: number;
  /**
   * Remember each object as it was left after an apply (or found unchanged), without server
   * fields and status, and skip its dry-run while neither the desired object nor that live
   * content changed (default on). Status updates by controllers do not defeat it.
   */
  cache?: boolean;
}

export interface ApplySetOptions {
  /** Labels marking the owner on every object, checked again before pruning. */
  ownerLabels?: Record<string, string>;
  /** Namespace for namespaced objects without one. */
  targetNamespace?: string;
  /** Recreate objects whose immutable fields changed (Kustomization spec.force). */
  force?: boolean;
  /** Delete objects of the previous inventory that are not in the set. */
  prune?: boolean;
  /**
   * Prune even when the set is empty. Without it, an empty set with an inventory of at least
   * `emptyPruneThreshold` objects (default 1) is refused: that is what a wrong path looks like.
   */
  allowEmptyPrune?: boolean;
  emptyPruneThreshold?: number;
  /** Compute the change set without writing anything (for `skiff diff`). */
  dryRun?: boolean;
  /** Attach a unified diff to each created/configured change. */
  diff?: boolean;
  /** Apply as this service account (Kustomization spec.serviceAccountName), so its RBAC applies. */
  serviceAccount?: { name: string; namespace: string };
  /** How long to wait for CRDs to be Established and namespaces Active (default 60 s). */
  definitionsTimeoutMs?: number;
}

export type DeletionPolicy = "MirrorPrune" | "Delete" | "WaitForTermination" | "Orphan";

interface CacheEntry {
  /** The desired object as sent, serialised. */
  desired: string;
  /** The live object after the apply, without server fields and status. */
  live: KubeObject;
}

export class ApplyEngine {
  readonly client: KubeClient;
  readonly fieldManager: string;
  readonly concurrency: number;
  readonly #cache?: Map<string, CacheEntry>;

  constructor(client: KubeClient, options: EngineOptions = {}) {
    this.client = client;
    this.fieldManager = options.fieldManager ?? "skiff";
    this.concurrency = options.concurrency ?? 8;
    if (options.cache ?? true) this.#cache = new Map();
  }

  /** Applies a rendered set; `previous` is the inventory this owner stored last time. */
  async applySet(
    objects: KubeObject[],
    previous: Inventory | undefined,
    options: ApplySetOptions = {},
  ): Promise<ChangeSet> {
    const client = this.clientFor(options);
    // An empty render usually means a wrong path or an empty source, not "delete everything".
    const threshold = options.emptyPruneThreshold ?? 1;
    const wouldPruneAll = options.prune && objects.length === 0 &&
      (previous?.size ?? 0) >= threshold;
    if (wouldPruneAll && !options.allowEmptyPrune) throw new PruneRefusedError(previous!.size);
    const normalized = await normalizeObjects(client.discovery, objects, {
      defaultNamespace: options.targetNamespace,
      ownerLabels: options.ownerLabels,
    });
    if (normalized.failures.length > 0) throw new ApplyError(normalized.failures, []);
    const inventory = Inventory.fromObjects(normalized.objects);
    const changes: Change[] = [];
    for (const { stage, objects: stageSet } of stageObjects(normalized.objects)) {
      const stageChanges = await this.#applyStage(client, stage, stageSet, options, changes);
      changes.push(...stageChanges);
      if (stage === "definitions" && !options.dryRun) {
        await settleDefinitions(
          client,
          stageSet,
          stageChanges,
          options.definitionsTimeoutMs ?? 60_000,
        );
      }
    }
    if (options.prune && previous) {
      const stale = previous.without(inventory);
      try {
        changes.push(
          ...await pruneEntries(client, stale, {
            ownerLabels: options.ownerLabels,
            dryRun: options.dryRun,
            concurrency: this.concurrency,
          }),
        );
      } catch (e) {
        if (!(e instanceof ApplyError)) throw e;
        // The objects that could not be pruned stay in the inventory, so the next run retries.
        const failed = new Set(e.failures.map((f) => describeId(f.id)));
        const kept = stale.filter((entry) => failed.has(describeId(entryId(entry))));
        const next = new Inventory([...inventory.entries(), ...kept]);
        throw new ApplyError(e.failures, [...changes, ...e.changes], next);
      }
    }
    return {
      changes,
      inventory,
      applied: changes.filter((c) => c.action !== "deleted" && c.action !== "skipped").map((c) =>
        c.id
      ),
      changed: changes.some(isWrite),
    };
  }

  /** Deletes the stale entries of an inventory (what applySet does when `prune` is set). */
  prune(stale: InventoryEntry[], options: ApplySetOptions = {}): Promise<Change[]> {
    return pruneEntries(this.clientFor(options), stale, {
      ownerLabels: options.ownerLabels,
      dryRun: options.dryRun,
      concurrency: this.concurrency,
    });
  }

  /**
   * What happens to an owner's objects when the owner itself is deleted, by Flux's
   * spec.deletionPolicy: MirrorPrune deletes them when `prune` is on, Delete always,
   * WaitForTermination deletes and waits until they are gone, Orphan leaves them.
   */
  async deleteInventory(
    inventory: Inventory,
    policy: DeletionPolicy,
    options: ApplySetOptions & { timeoutMs?: number } = {},
  ): Promise<Change[]> {
    if (policy === "Orphan" || (policy === "MirrorPrune" && !options.prune)) return [];
    const changes = await this.prune(inventory.entries(), options);
    if (policy === "WaitForTermination") {
      const client = this.clientFor(options);
      const deadline = Date.now() + (options.timeoutMs ?? 60_000);
      const pending = changes.filter((c) => c.action === "deleted").map((c) => c.id);
      for (const id of pending) {
        while (await client.getIfExists(id.apiVersion, id.kind, id.name, id.namespace)) {
          if (Date.now() > deadline) {
            throw new Error(
              `${describeId(id)} is still terminating after ${options.timeoutMs ?? 60_000} ms`,
            );
          }
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }
    return changes;
  }

  /** Forgets cached "unchanged" verdicts (e.g. after a change the cache cannot see). */
  clearCache(): void {
    this.#cache?.clear();
  }

  /**
   * The client the engine uses for these options: impersonating `serviceAccount` when set, so
   * health checks after an apply see what that account may see.
   */
  clientFor(options: Pick<ApplySetOptions, "serviceAccount">): KubeClient {
    if (!options.serviceAccount) return this.client;
    const { name, namespace } = options.serviceAccount;
    const impersonate: Impersonation = {
      user: `system:serviceaccount:${namespace}:${name}`,
      groups: [
        "system:serviceaccounts",
        `system:serviceaccounts:${namespace}`,
        "system:authenticated",
      ],
    };
    return this.client.impersonating(impersonate);
  }

  async #applyStage(
    client: KubeClient,
    stage: Stage,
    objects: KubeObject[],
    options: ApplySetOptions,
    earlier: Change[],
  ): Promise<Change[]> {
    const { objects: live, failures: unreadable } = await readLive(
      client,
      objects,
      this.concurrency,
    );
    if (unreadable.length > 0) throw new ApplyError(unreadable, earlier);
    const impersonated = client.impersonation?.user ?? "";
    const ctx: PlanContext = {
      client,
      fieldManager: this.fieldManager,
      force: options.force ?? false,
      withDiff: options.diff ?? false,
      cachedUnchanged: (desired, liveObj) => {
        const hit = this.#cache?.get(cacheKey(desired, impersonated));
        return hit !== undefined && liveObj !== undefined &&
          hit.desired === JSON.stringify(desired) &&
          jsonEqual(hit.live, withoutServerFields(liveObj));
      },
    };
    // Phase one decides for every object (dry-runs only): an invalid object stops the stage
    // before anything in it is written.
    const failures: ObjectFailure[] = [];
    const plans = await mapLimited(objects, this.concurrency, async (desired) => {
      const liveObj = live.get(refKey(refOf(desired)));
      try {
        return await planObject(ctx, desired, liveObj);
      } catch (e) {
        const pending = options.dryRun ? pendingDefinition(e, desired, earlier) : undefined;
        if (pending) return pending;
        failures.push({ id: idOf(desired), reason: reasonOf(e), error: e });
        return undefined;
      }
    });
    if (failures.length > 0) throw new ApplyError(failures, earlier);
    const ready = plans.filter((p): p is ObjectPlan => p !== undefined);
    for (const p of ready) p.change.stage = stage;
    if (options.dryRun) return ready.map((p) => p.change);

    await mapLimited(ready, this.concurrency, async (plan) => {
      try {
        const stored = await executePlan(ctx, plan, { recreateTimeoutMs: 30_000 });
        if (stored && plan.change.action !== "skipped") {
          this.#cache?.set(cacheKey(plan.desired, impersonated), {
            desired: JSON.stringify(plan.desired),
            live: withoutServerFields(stored),
          });
        }
      } catch (e) {
        this.#cache?.delete(cacheKey(plan.desired, impersonated));
        failures.push({ id: plan.id, reason: reasonOf(e), error: e });
      }
    });
    const changes = ready.map((p) => p.change);
    if (failures.length > 0) {
      throw new ApplyError(failures, [
        ...earlier,
        ...changes.filter((c) => !failures.some((f) => f.id === c.id)),
      ]);
    }
    return changes;
  }
}

function isWrite(change: Change): boolean {
  return change.action === "created" || change.action === "configured" ||
    change.action === "deleted";
}

function cacheKey(obj: KubeObject, user: string): string {
  return `${user}|${obj.apiVersion}|${refKey(refOf(obj))}`;
}

function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
