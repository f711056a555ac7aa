// The apply engine: staged server-side apply, diff, prune, inventory.
export {
  ApplyEngine,
  type ApplySetOptions,
  type DeletionPolicy,
  type EngineOptions,
} from "./engine.ts";
export {
  ApplyError,
  type Change,
  type ChangeAction,
  type ChangeSet,
  formatChange,
  ImmutableFieldError,
  InvalidObjectError,
  type ObjectFailure,
  PruneRefusedError,
} from "./changeset.ts";
export { type EncodedEntry, Inventory, type InventoryEntry } from "./inventory.ts";
export { type PruneOptions } from "./prune.ts";
export { applyOrder, type Stage, stageObjects, stageOf } from "./staged.ts";
export {
  FORCE_ANNOTATION,
  PRUNE_ANNOTATION,
  RECONCILE_ANNOTATION,
  SSA_ANNOTATION,
} from "./annotations.ts";
export { immutableFields } from "./immutable.ts";
