// The garbage collector: dependants (by metadata.ownerReferences uid) of a deleted owner are
// deleted once no owner of theirs remains; foreground deletion waits for the dependants before
// the owner goes; orphan deletion removes the owner references instead.
import type { Catalog, ResourceType } from "../catalog.ts";
import { finalizersOf, meta, nameOf, namespaceOf, ownerReferencesOf } from "../objects.ts";
import type { JsonObject } from "../ssa/typed.ts";
import type { StoreEvent } from "../store.ts";
import { CONTROLLER_MANAGER, type ControllerContext } from "./context.ts";

interface Ref {
  key: string;
  namespace: string;
  name: string;
}

function refId(r: Ref): string {
  return `${r.key}\u0000${r.namespace}\u0000${r.name}`;
}

export function typeOfKey(catalog: Catalog, key: string): ResourceType | undefined {
  const dot = key.indexOf(".");
  return catalog.versionsOf(key.slice(dot + 1), key.slice(0, dot))[0];
}

export class GarbageCollector {
  /** owner uid -> dependants */
  #dependants = new Map<string, Map<string, Ref>>();
  /** dependant -> the owner uids it was indexed under */
  #owners = new Map<string, string[]>();
  /** uids of objects that exist */
  #live = new Map<string, Ref>();

  constructor(private readonly ctx: ControllerContext) {}

  observe(e: StoreEvent): void {
    const ref: Ref = { key: e.key, namespace: e.namespace, name: nameOf(e.object) };
    const id = refId(ref);
    const uid = String(meta(e.object).uid ?? "");
    for (const owner of this.#owners.get(id) ?? []) this.#dependants.get(owner)?.delete(id);
    this.#owners.delete(id);
    if (e.type === "DELETED") {
      this.#live.delete(uid);
      this.ctx.later(0, () => this.#ownerGone(uid));
      for (const o of ownerReferencesOf(e.object)) {
        this.ctx.later(0, () => this.#checkForeground(o.uid));
      }
      return;
    }
    this.#live.set(uid, ref);
    const owners = ownerReferencesOf(e.object).map((o) => o.uid);
    this.#owners.set(id, owners);
    for (const o of owners) {
      if (!this.#dependants.has(o)) this.#dependants.set(o, new Map());
      this.#dependants.get(o)!.set(id, ref);
      if (!this.#live.has(o)) this.ctx.later(0, () => this.#ownerGone(o));
    }
    const fins = finalizersOf(e.object);
    if (meta(e.object).deletionTimestamp) {
      if (fins.includes("foregroundDeletion")) this.ctx.later(0, () => this.#foreground(uid));
      if (fins.includes("orphan")) this.ctx.later(0, () => this.#orphan(uid));
    }
  }

  #get(ref: Ref): { rt: ResourceType; o: JsonObject } | undefined {
    const rt = typeOfKey(this.ctx.catalog, ref.key);
    if (!rt) return undefined;
    const o = this.ctx.api.tryGet(rt, ref.namespace || undefined, ref.name);
    return o ? { rt, o } : undefined;
  }

  #ownerGone(uid: string): void {
    if (this.#live.has(uid)) return;
    for (const ref of [...(this.#dependants.get(uid)?.values() ?? [])]) {
      const found = this.#get(ref);
      if (!found) continue;
      const { rt, o } = found;
      const remaining = ownerReferencesOf(o).filter((r) => this.#live.has(r.uid));
      if (remaining.length === 0) {
        if (!meta(o).deletionTimestamp) {
          this.ctx.api.delete(rt, namespaceOf(o) || undefined, nameOf(o), {
            propagationPolicy: "Background",
          });
        }
      } else if (remaining.length !== ownerReferencesOf(o).length) {
        const next = structuredClone(o);
        meta(next).ownerReferences = remaining as unknown as JsonObject[];
        this.ctx.api.update(rt, namespaceOf(o) || undefined, nameOf(o), next, {
          fieldManager: CONTROLLER_MANAGER,
        });
      }
    }
  }

  #foreground(uid: string): void {
    const ownerRef = this.#live.get(uid);
    if (!ownerRef) return;
    const deps = [...(this.#dependants.get(uid)?.values() ?? [])];
    for (const ref of deps) {
      const found = this.#get(ref);
      if (found && !meta(found.o).deletionTimestamp) {
        this.ctx.api.delete(found.rt, ref.namespace || undefined, ref.name, {
          propagationPolicy: "Foreground",
        });
      }
    }
    this.#checkForeground(uid);
  }

  #checkForeground(uid: string): void {
    const ownerRef = this.#live.get(uid);
    if (!ownerRef) return;
    const owner = this.#get(ownerRef);
    if (!owner || !finalizersOf(owner.o).includes("foregroundDeletion")) return;
    const remaining = [...(this.#dependants.get(uid)?.values() ?? [])].filter((r) => this.#get(r));
    if (remaining.length > 0) return;
    this.#dropFinalizer(owner.rt, owner.o, "foregroundDeletion");
  }

  #orphan(uid: string): void {
    const ownerRef = this.#live.get(uid);
    if (!ownerRef) return;
    for (const ref of [...(this.#dependants.get(uid)?.values() ?? [])]) {
      const found = this.#get(ref);
      if (!found) continue;
      const next = structuredClone(found.o);
      const refs = ownerReferencesOf(next).filter((r) => r.uid !== uid);
      if (refs.length > 0) meta(next).ownerReferences = refs as unknown as JsonObject[];
      else delete meta(next).ownerReferences;
      this.ctx.api.update(found.rt, ref.namespace || undefined, ref.name, next, {
        fieldManager: CONTROLLER_MANAGER,
      });
    }
    const owner = this.#get(ownerRef);
    if (owner) this.#dropFinalizer(owner.rt, owner.o, "orphan");
  }

  #dropFinalizer(rt: ResourceType, o: JsonObject, finalizer: string): void {
    const next = structuredClone(o);
    meta(next).finalizers = finalizersOf(o).filter((f) => f !== finalizer);
    this.ctx.api.update(rt, namespaceOf(o) || undefined, nameOf(o), next, {
      fieldManager: CONTROLLER_MANAGER,
    });
  }
}
