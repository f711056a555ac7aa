// The in-memory state: objects by storage key (resource.group) and namespace/name, one global
// resourceVersion counter, and a bounded history of watch events so watches can resume from a
// resourceVersion (and get 410 Gone when it is too old). Snapshots to JSON.
import type { JsonObject } from "./ssa/typed.ts";

export type EventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreEvent {
  type: EventType;
  key: string;
  namespace: string;
  object: JsonObject;
  /** For MODIFIED: the object before the change (watches with selectors need it). */
  previous?: JsonObject;
  rv: number;
}

const HISTORY_LIMIT = 20_000;

interface Bucket {
  objects: Map<string, JsonObject>;
  sortedKeys?: string[];
}

function objectKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function metaOf(obj: JsonObject): JsonObject {
  return (obj.metadata ?? {}) as JsonObject;
}

export class ObjectStore {
  #rv = 1;
  #buckets = new Map<string, Bucket>();
  #history: StoreEvent[] = [];
  #listeners = new Set<(e: StoreEvent) => void>();

  get resourceVersion(): number {
    return this.#rv;
  }

  /** The oldest resourceVersion a watch may still resume from. */
  get oldestResumable(): number {
    return this.#history.length > 0 ? this.#history[0].rv - 1 : this.#rv;
  }

  nextResourceVersion(): number {
    return ++this.#rv;
  }

  #bucket(key: string): Bucket {
    let b = this.#buckets.get(key);
    if (!b) {
      b = { objects: new Map() };
      this.#buckets.set(key, b);
    }
    return b;
  }

  get(key: string, namespace: string, name: string): JsonObject | undefined {
    return this.#buckets.get(key)?.objects.get(objectKey(namespace, name));
  }

  /** Objects of a storage key, sorted by namespace/name like etcd keys; all namespaces if none given. */
  list(key: string, namespace?: string): JsonObject[] {
    const b = this.#buckets.get(key);
    if (!b) return [];
    if (!b.sortedKeys) b.sortedKeys = [...b.objects.keys()].sort();
    const out: JsonObject[] = [];
    const prefix = namespace === undefined ? undefined : `${namespace}/`;
    for (const k of b.sortedKeys) {
      if (prefix !== undefined && !k.startsWith(prefix)) continue;
      out.push(b.objects.get(k)!);
    }
    return out;
  }

  keys(): string[] {
    return [...this.#buckets.keys()];
  }

  count(): number {
    let n = 0;
    for (const b of this.#buckets.values()) n += b.objects.size;
    return n;
  }

  /** Stores an object whose metadata.resourceVersion the caller already set. */
  put(key: string, obj: JsonObject, type: "ADDED" | "MODIFIED"): void {
    const meta = metaOf(obj);
    const namespace = String(meta.namespace ?? "");
    const b = this.#bucket(key);
    const k = objectKey(namespace, String(meta.name));
    const previous = b.objects.get(k);
    if (!previous) b.sortedKeys = undefined;
    b.objects.set(k, obj);
    this.#emit({ type, key, namespace, object: obj, previous, rv: Number(meta.resourceVersion) });
  }

  remove(key: string, obj: JsonObject): void {
    const meta = metaOf(obj);
    const namespace = String(meta.namespace ?? "");
    const b = this.#bucket(key);
    if (b.objects.delete(objectKey(namespace, String(meta.name)))) b.sortedKeys = undefined;
    this.#emit({ type: "DELETED", key, namespace, object: obj, rv: Number(meta.resourceVersion) });
  }

  #emit(e: StoreEvent): void {
    this.#history.push(e);
    if (this.#history.length > HISTORY_LIMIT) {
      this.#history.splice(0, this.#history.length - HISTORY_LIMIT);
    }
    for (const l of this.#listeners) l(e);
  }

  /** Events after `rv`, or undefined when history no longer reaches back that far. */
  eventsSince(rv: number): StoreEvent[] | undefined {
    if (rv < this.oldestResumable) return undefined;
    return this.#history.filter((e) => e.rv > rv);
  }

  subscribe(listener: (e: StoreEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Forgets the watch history (tests of 410 Gone use it). */
  compact(): void {
    this.#history = [];
  }

  snapshot(): { resourceVersion: number; objects: Record<string, JsonObject[]> } {
    const objects: Record<string, JsonObject[]> = {};
    for (const [key, b] of this.#buckets) objects[key] = [...b.objects.values()];
    return { resourceVersion: this.#rv, objects };
  }

  restore(snap: { resourceVersion: number; objects: Record<string, JsonObject[]> }): void {
    this.#buckets.clear();
    this.#history = [];
    this.#rv = snap.resourceVersion;
    for (const [key, list] of Object.entries(snap.objects)) {
      const b = this.#bucket(key);
      for (const o of list) {
        const m = metaOf(o);
        b.objects.set(objectKey(String(m.namespace ?? ""), String(m.name)), o);
      }
    }
  }
}
