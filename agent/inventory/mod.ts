// Kustomization inventories and applied state, stored in the cluster.
export { INVENTORY_LABELS, InventoryStore, type StoredState } from "./store.ts";
export { pendingInventory } from "./pending.ts";
export { bookkeepingConfigMapName } from "./config_map_name.ts";
