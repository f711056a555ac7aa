// Deciding and performing the apply of one object: the Flux annotations, the server-side
// dry-run compared with the live object, recreation on immutable fields, and taking fields
// over from kubectl so that removing a field in Git removes it in the cluster.
import type { KubeClient } from "../client/mod.ts";
import { jsonEqual, renderDiff, withoutServerFields } from "../diff/mod.ts";
import { KubeApiError } from "../errors.ts";
import { idOf, type KubeObject, type ManagedFieldsEntry, type ObjectId } from "../types.ts";
import { exclusionReason, isForceEnabled, isIfNotPresent, isMerge } from "./annotations.ts";
import { type Change, ImmutableFieldError } from "./changeset.ts";
import { immutableFields } from "./immutable.ts";

/** Field managers whose fields skiff takes over unless the object asks for `ssa: Merge`. */
export const TAKEOVER_MANAGERS = new Set([
  "kubectl",
  "kubectl-client-side-apply",
  "kubectl-edit",
  "before-first-apply",
]);

export interface ObjectPlan {
  id: ObjectId;
  desired: KubeObject;
  live?: KubeObject;
  /** "apply": write it; "recreate": delete then apply; "none": leave it. */
  write: "apply" | "recreate" | "none";
  change: Change;
  /** managedFields with kubectl's fields handed to skiff (undefined: no takeover). */
  keepManagedFields?: ManagedFieldsEntry[];
}

export interface PlanContext {
  client: KubeClient;
  fieldManager: string;
  force: boolean;
  withDiff: boolean;
  /** Whether the desired object and its live copy are exactly as the last apply left them. */
  cachedUnchanged(desired: KubeObject, live: KubeObject | undefined): boolean;
}

/** Decides what to do with one object; throws on errors that must stop the apply. */
export async function planObject(
  ctx: PlanContext,
  desired: KubeObject,
  live: KubeObject | undefined,
): Promise<ObjectPlan> {
  const id = idOf(desired);
  const none = (action: Change["action"], reason: string): ObjectPlan => ({
    id,
    desired,
    live,
    write: "none",
    change: { id, action, reason },
  });
  const excluded = exclusionReason(desired, "desired") ?? exclusionReason(live, "live");
  if (excluded) return none("skipped", excluded);
  if (live && isIfNotPresent(desired)) return none("skipped", "exists, and ssa is IfNotPresent");
  if (live?.metadata.deletionTimestamp) {
    // Applying now would be lost when deletion completes; the next reconcile creates it anew.
    return none("skipped", "the cluster object is being deleted; it is applied again once gone");
  }
  const takeover = live && !isMerge(desired)
    ? takeoverManagedFields(live, ctx.fieldManager)
    : undefined;
  if (ctx.cachedUnchanged(desired, live) && !takeover) return none("unchanged", "");

  let dryRun: KubeObject;
  try {
    dryRun = await ctx.client.apply(desired, {
      fieldManager: ctx.fieldManager,
      force: true,
      dryRun: true,
    });
  } catch (e) {
    const fields = immutableFields(e);
    if (!fields || !live) throw e;
    if (!ctx.force && !isForceEnabled(desired)) throw new ImmutableFieldError(id, fields, e);
    return {
      id,
      desired,
      live,
      write: "recreate",
      change: {
        id,
        action: "created",
        reason: `recreated: ${fields.join(", ")} cannot change in place`,
        diff: ctx.withDiff ? renderDiff(live, desired) : undefined,
      },
    };
  }
  if (!live) {
    return {
      id,
      desired,
      write: "apply",
      change: {
        id,
        action: "created",
        reason: "",
        diff: ctx.withDiff ? renderDiff(undefined, dryRun) : undefined,
      },
    };
  }
  const drifted = !jsonEqual(withoutServerFields(dryRun), withoutServerFields(live));
  if (!drifted && !takeover) return none("unchanged", "");
  return {
    id,
    desired,
    live,
    write: "apply",
    keepManagedFields: takeover,
    change: {
      id,
      action: "configured",
      reason: drifted ? "" : "taking over fields last set with kubectl",
      diff: ctx.withDiff ? renderDiff(live, dryRun) : undefined,
    },
  };
}

/**
 * kubectl's managedFields entries folded into skiff's own Apply entry, so skiff owns those
 * fields and the next apply removes the ones Git does not set (what Flux does); undefined
 * when kubectl owns nothing.
 */
function takeoverManagedFields(
  live: KubeObject,
  fieldManager: string,
): ManagedFieldsEntry[] | undefined {
  const entries = live.metadata.managedFields ?? [];
  const isOurs = (e: ManagedFieldsEntry) =>
    e.manager === fieldManager && e.operation === "Apply" && !e.subresource;
  const taken = entries.filter((e) => !e.subresource && TAKEOVER_MANAGERS.has(e.manager ?? ""));
  if (taken.length === 0) return undefined;
  const ours = entries.find(isOurs) ??
    {
      manager: fieldManager,
      operation: "Apply",
      apiVersion: live.apiVersion,
      fieldsType: "FieldsV1",
      fieldsV1: {},
    };
  let fields = ours.fieldsV1 ?? {};
  for (const e of taken) fields = mergeFieldSets(fields, e.fieldsV1 ?? {});
  const others = entries.filter((e) => !taken.includes(e) && !isOurs(e));
  return [...others, { ...ours, fieldsV1: fields }];
}

/** Union of two FieldsV1 tries (nested objects keyed "f:name", "k:{...}", "v:..."). */
function mergeFieldSets(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const existing = out[key];
    out[key] = isPlainObject(existing) && isPlainObject(value)
      ? mergeFieldSets(existing, value)
      : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Performs a plan's write; returns the object as stored. */
export async function executePlan(
  ctx: Pick<PlanContext, "client" | "fieldManager">,
  plan: ObjectPlan,
  options: { recreateTimeoutMs: number },
): Promise<KubeObject | undefined> {
  const { client, fieldManager } = ctx;
  if (plan.write === "none") return plan.live;
  if (plan.write === "recreate" && plan.live) {
    await client.delete(plan.id, {
      propagationPolicy: "Background",
      preconditions: { uid: plan.live.metadata.uid },
    }).catch((e) => {
      if (!(e instanceof KubeApiError && e.isNotFound)) throw e;
    });
    await waitUntilGone(client, plan.id, options.recreateTimeoutMs);
  }
  if (plan.keepManagedFields && plan.live) {
    // Handing kubectl's fields to skiff first lets the apply below remove those Git no longer
    // sets; the test makes the patch fail rather than overwrite a concurrent change.
    await client.patch(plan.id, [
      { op: "test", path: "/metadata/resourceVersion", value: plan.live.metadata.resourceVersion },
      { op: "replace", path: "/metadata/managedFields", value: plan.keepManagedFields },
    ], "json");
  }
  return await client.apply(plan.desired, { fieldManager, force: true });
}

async function waitUntilGone(client: KubeClient, id: ObjectId, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (await client.getIfExists(id.apiVersion, id.kind, id.name, id.namespace)) {
    if (Date.now() > deadline) {
      throw new Error(
        `${id.kind} ${id.name} was deleted to be recreated but still exists after ${timeoutMs} ms (finalizers?)`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
