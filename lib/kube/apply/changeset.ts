// What an apply did, object by object, and the errors it stops with.
import { describeId, type ObjectId } from "../types.ts";
import type { Inventory } from "./inventory.ts";
import type { Stage } from "./staged.ts";

export type ChangeAction = "created" | "configured" | "unchanged" | "deleted" | "skipped";

export interface Change {
  id: ObjectId;
  action: ChangeAction;
  /** Why, in words: "spec.replicas changed", "has kustomize.toolkit.fluxcd.io/ssa: Ignore"... */
  reason: string;
  stage?: Stage;
  /** Unified diff from live to desired (only when asked for, Secret values masked). */
  diff?: string;
}

export interface ChangeSet {
  changes: Change[];
  /** The inventory to store for next time; only returned when the apply succeeded. */
  inventory: Inventory;
  /** The objects that exist in the cluster after the apply (for health checks). */
  applied: ObjectId[];
  /** Whether anything was written (or would be, in a dry run). */
  changed: boolean;
}

export function formatChange(change: Change): string {
  return `${describeId(change.id)} ${change.action}${change.reason ? ` (${change.reason})` : ""}`;
}

/** One object that could not be applied. */
export interface ObjectFailure {
  id: ObjectId;
  reason: string;
  error: unknown;
}

/**
 * The set could not be applied (nothing after the failing stage was touched), or it was
 * applied and pruning failed: then `inventory` holds the new inventory, to be stored.
 */
export class ApplyError extends Error {
  override readonly name = "ApplyError";
  constructor(
    readonly failures: ObjectFailure[],
    /** Changes made before the failure (earlier stages), so status can still report them. */
    readonly changes: Change[],
    /** Set only when every object was applied and only pruning failed. */
    readonly inventory?: Inventory,
  ) {
    super(
      `${failures.length} object${failures.length === 1 ? "" : "s"} could not be applied:\n` +
        failures.map((f) => `  ${describeId(f.id)}: ${f.reason}`).join("\n"),
    );
  }
}

/** An object of the rendered set is malformed for the cluster (scope, missing name...). */
export class InvalidObjectError extends Error {
  override readonly name = "InvalidObjectError";
  constructor(readonly object: string, readonly field: string, readonly reason: string) {
    super(`${object}: ${field}: ${reason}`);
  }
}

/** A field that cannot change in place blocks the update and recreating was not allowed. */
export class ImmutableFieldError extends Error {
  override readonly name = "ImmutableFieldError";
  constructor(readonly id: ObjectId, readonly fields: string[], cause?: unknown) {
    super(
      `${describeId(id)}: ${fields.join(", ")} ${fields.length === 1 ? "is" : "are"} immutable; ` +
        `to recreate the object, set spec.force: true on the Kustomization or annotate the object ` +
        `with kustomize.toolkit.fluxcd.io/force: enabled`,
      { cause },
    );
  }
}

/** Pruning was refused because the rendered set is empty while the inventory is not. */
export class PruneRefusedError extends Error {
  override readonly name = "PruneRefusedError";
  constructor(readonly inventorySize: number) {
    super(
      `the rendered set has no objects while the inventory holds ${inventorySize}; refusing to ` +
        `delete them all (a wrong path or an empty source looks exactly like this). ` +
        `Set allowEmptyPrune to prune everything on purpose`,
    );
  }
}
