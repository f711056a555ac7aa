// Kustomization inventories and applied state, stored in the cluster.
export { INVENTORY_LABELS, InventoryStore, type StoredState } from "./store.ts";
export { pendingInventory } from "./pending.ts";
