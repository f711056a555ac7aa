// Each Kustomization's inventory and last status live in the cluster, in one ConfigMap per
// Kustomization in the agent's namespace, so a restarted agent knows what it owns and never
// prunes from a stale list. The ConfigMap is written after a successful apply, and before an
// apply's first write when that apply may create objects the stored list lacks (a pending
// inventory: previous ∪ new set, see pending.ts), so a kill mid-apply leaves no orphans.
//
// Why a ConfigMap and not a Secret: the inventory holds object names and kinds, the same facts
// Flux keeps in status.inventory of a Kustomization (readable by anyone who can read
// Kustomizations); no values. Whoever may read Secrets in the agent's namespace may not need to.
import { Inventory, KubeApiError, type KubeClient, type KubeObject } from "../../lib/kube/mod.ts";
import { bookkeepingConfigMapName } from "./config_map_name.ts";

export const INVENTORY_LABELS = {
  "app.kubernetes.io/managed-by": "skiff",
  "skiff.dev/component": "inventory",
};

/** What is stored per Kustomization. */
export interface StoredState {
  /** The objects applied last time (prune works from this). */
  inventory: Inventory;
  /** The source revision that was applied. */
  revision: string;
  /** Digest of the rendered objects that were applied (lets a no-op reconcile skip the dry-run). */
  renderedDigest: string;
  appliedAt: string;
  /**
   * Set while an apply is in flight or after one that did not finish: the inventory is
   * previous ∪ the set being applied, revision and appliedAt are the last successful ones, and
   * renderedDigest is empty so the next reconcile never takes the no-op fast path.
   */
  pending?: boolean;
}

const FIELD_MANAGER = "skiff-inventory";

export class InventoryStore {
  /** What was loaded or saved, so a reconcile reads the cluster only once per Kustomization. */
  readonly #cache = new Map<string, StoredState | null>();

  constructor(readonly client: KubeClient, readonly namespace: string) {}

  /** The ConfigMap name for a Kustomization: readable, and within the 253-character limit. */
  static nameFor(namespace: string, name: string): string {
    return bookkeepingConfigMapName("skiff-ks", namespace, name);
  }

  async load(namespace: string, name: string): Promise<StoredState | undefined> {
    const key = `${namespace}/${name}`;
    if (!this.#cache.has(key)) {
      const cm = await this.client.getIfExists(
        "v1",
        "ConfigMap",
        InventoryStore.nameFor(namespace, name),
        this.namespace,
      );
      this.#cache.set(key, (cm && decode(cm)) ?? null);
    }
    return this.#cache.get(key) ?? undefined;
  }

  /**
   * Writes the state (server-side apply: one request). Every field of `data` is written each
   * time, so saving a finished state clears a pending one.
   */
  async save(namespace: string, name: string, state: StoredState): Promise<void> {
    const configMap: KubeObject = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: InventoryStore.nameFor(namespace, name),
        namespace: this.namespace,
        labels: {
          ...INVENTORY_LABELS,
          "skiff.dev/kustomization-name": name.slice(0, 63),
          "skiff.dev/kustomization-namespace": namespace,
        },
        annotations: { "skiff.dev/kustomization": `${namespace}/${name}` },
      },
      data: {
        inventory: JSON.stringify(state.inventory.encode().entries),
        revision: state.revision,
        renderedDigest: state.renderedDigest,
        appliedAt: state.appliedAt,
        ...(state.pending ? { pending: "true" } : {}),
      },
    };
    await this.client.apply(configMap, { fieldManager: FIELD_MANAGER, force: true });
    this.#cache.set(`${namespace}/${name}`, state);
  }

  /**
   * Records `inventory` as pending before an apply: the last successful revision and time are
   * kept, the digest is cleared (the stored set no longer matches any render).
   */
  savePending(
    namespace: string,
    name: string,
    inventory: Inventory,
    previous: StoredState | undefined,
  ): Promise<void> {
    return this.save(namespace, name, {
      inventory,
      revision: previous?.revision ?? "",
      renderedDigest: "",
      appliedAt: previous?.appliedAt ?? "",
      pending: true,
    });
  }

  /** Forgets a Kustomization (after it was removed from the config and its objects handled). */
  async remove(namespace: string, name: string): Promise<void> {
    this.#cache.set(`${namespace}/${name}`, null);
    try {
      await this.client.delete({
        apiVersion: "v1",
        kind: "ConfigMap",
        name: InventoryStore.nameFor(namespace, name),
        namespace: this.namespace,
      });
    } catch (e) {
      if (!(e instanceof KubeApiError && e.isNotFound)) throw e;
    }
  }

  /** Makes sure the agent's namespace exists (a fresh cluster has none). */
  async ensureNamespace(): Promise<void> {
    const existing = await this.client.getIfExists("v1", "Namespace", this.namespace);
    if (existing) return;
    try {
      await this.client.create({
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: this.namespace },
      });
    } catch (e) {
      if (!(e instanceof KubeApiError && e.isConflict)) throw e;
    }
  }
}

function decode(cm: KubeObject): StoredState | undefined {
  const data = (cm.data ?? {}) as Record<string, string>;
  let entries: unknown;
  try {
    entries = JSON.parse(data.inventory ?? "[]");
  } catch {
    return undefined;
  }
  if (!Array.isArray(entries)) return undefined;
  return {
    inventory: Inventory.decode(entries),
    revision: data.revision ?? "",
    renderedDigest: data.renderedDigest ?? "",
    appliedAt: data.appliedAt ?? "",
    ...(data.pending === "true" ? { pending: true } : {}),
  };
}
