// The inventory recorded before an apply's first write: what was owned before, plus every object
// the apply may create. An agent killed mid-apply then restarts knowing those objects are its
// own, so the next successful apply prunes the ones that left Git meanwhile (Flux records its
// inventory the same way). An entry for an object that was never created costs nothing: prune
// finds it missing and moves on.
import { Inventory, type KubeObject } from "../../lib/kube/mod.ts";

/**
 * previous ∪ the objects about to be applied, or undefined when every object is already in
 * `previous`: then the stored inventory covers the apply, and a no-op reconcile writes nothing.
 */
export function pendingInventory(
  previous: Inventory | undefined,
  objects: KubeObject[],
): Inventory | undefined {
  // Objects without a kind or name are refused by the apply before any write: nothing to record.
  const incoming = Inventory.fromObjects(
    objects.filter((o) => typeof o?.kind === "string" && o.metadata?.name),
  );
  const added = previous ? incoming.without(previous) : incoming.entries();
  if (added.length === 0) return undefined;
  return new Inventory([...(previous?.entries() ?? []), ...added]);
}
