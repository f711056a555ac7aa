// The record of what one owner applied: group, kind, namespace, name and version per object,
// encoded as Flux encodes `status.inventory.entries` ({id: "ns_name_group_kind", v: "v1"}), so
// an inventory written by Flux can be read and pruned by skiff and the other way round.
import {
  type KubeObject,
  type ObjectId,
  type ObjectRef,
  parseApiVersion,
  refKey,
} from "../types.ts";

export interface InventoryEntry extends ObjectRef {
  version: string;
}

/** Flux's wire form of one entry. */
export interface EncodedEntry {
  id: string;
  v: string;
}

export class Inventory {
  readonly #entries = new Map<string, InventoryEntry>();

  constructor(entries: InventoryEntry[] = []) {
    for (const e of entries) this.add(e);
  }

  static fromObjects(objects: KubeObject[]): Inventory {
    return new Inventory(objects.map(entryOf));
  }

  /** Reads Flux's `status.inventory` shape; ignores entries it cannot parse, naming none. */
  static decode(encoded: { entries?: EncodedEntry[] } | EncodedEntry[] | undefined): Inventory {
    const list = Array.isArray(encoded) ? encoded : encoded?.entries ?? [];
    const inventory = new Inventory();
    for (const e of list) {
      const parsed = parseId(e.id);
      if (parsed) inventory.add({ ...parsed, version: e.v });
    }
    return inventory;
  }

  add(entry: InventoryEntry): void {
    this.#entries.set(refKey(entry), entry);
  }

  has(ref: ObjectRef): boolean {
    return this.#entries.has(refKey(ref));
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Entries in a stable order (by id). */
  entries(): InventoryEntry[] {
    return [...this.#entries.entries()].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map((
      [, e],
    ) => e);
  }

  /** Entries in this inventory and not in `other`: what to prune when `other` is the new set. */
  without(other: Inventory): InventoryEntry[] {
    return this.entries().filter((e) => !other.has(e));
  }

  encode(): { entries: EncodedEntry[] } {
    return { entries: this.entries().map((e) => ({ id: encodeId(e), v: e.version })) };
  }
}

export function entryOf(obj: KubeObject): InventoryEntry {
  const { group, version } = parseApiVersion(obj.apiVersion);
  return {
    group,
    version,
    kind: obj.kind,
    namespace: obj.metadata.namespace ?? "",
    name: obj.metadata.name ?? "",
  };
}

export function entryId(entry: InventoryEntry): ObjectId {
  return {
    apiVersion: entry.group ? `${entry.group}/${entry.version}` : entry.version,
    kind: entry.kind,
    namespace: entry.namespace || undefined,
    name: entry.name,
  };
}

/**
 * "namespace_name_group_kind", as cli-utils writes it: a ":" in a name (RBAC names such as
 * "system:metrics") becomes "__", since "_" cannot appear in names, namespaces or groups.
 */
export function encodeId(ref: ObjectRef): string {
  return `${ref.namespace}_${ref.name.replaceAll(":", "__")}_${ref.group}_${ref.kind}`;
}

function parseId(id: string): ObjectRef | undefined {
  const parts = id.split("_");
  if (parts.length < 4) return undefined;
  const namespace = parts[0];
  const kind = parts[parts.length - 1];
  const group = parts[parts.length - 2];
  const name = parts.slice(1, -2).join("_").replaceAll("__", ":");
  if (!name || !kind) return undefined;
  return { namespace, name, group, kind };
}
