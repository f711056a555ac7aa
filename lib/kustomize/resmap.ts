// The ordered list of objects a kustomization accumulates, with kustomize's rules for adding
// (no two objects with the same id) and for generator behaviors (merge, replace).
import { KustomizeError } from "./errors.ts";
import { describeId, type ResId, Resource, sameId } from "./resource.ts";

export class ResMap {
  constructor(public list: Resource[] = []) {}

  get size(): number {
    return this.list.length;
  }

  /** Objects whose current id equals `id`. */
  byCurrentId(id: ResId): Resource[] {
    return this.list.filter((r) => sameId(r.curId(), id));
  }

  /** Objects that have, or once had, id `id`. */
  byAnyId(id: ResId): Resource[] {
    return this.list.filter((r) => r.allIds().some((x) => sameId(x, id)));
  }

  append(r: Resource, file: string, field: string): void {
    this.appendAll([r], file, field);
  }

  /**
   * Current ids of the list, kept while only appends happen; `changed()` drops it when
   * transformers may have renamed objects.
   */
  private keys: Set<string> | undefined;

  changed(): void {
    this.keys = undefined;
  }

  /** Adds objects whose current ids must all be new. */
  appendAll(others: Resource[] | ResMap, file: string, field: string): void {
    const list = others instanceof ResMap ? others.list : others;
    if (list.length === 0) return;
    const taken = this.keys ?? new Set(this.list.map((r) => r.idKey()));
    this.keys = taken;
    for (const r of list) {
      const key = r.idKey();
      if (taken.has(key)) {
        throw new KustomizeError(
          file,
          field,
          `may not add resource with an already registered id: ${describeId(r.curId())}`,
        );
      }
      taken.add(key);
      this.list.push(r);
    }
  }

  /**
   * Adds a generated object following its behavior: create appends (the id must be new), merge
   * and replace fold into the one existing object with that id.
   */
  absorb(r: Resource, file: string, field: string): void {
    this.changed();
    const matches = this.byAnyId(r.curId());
    if (matches.length === 0) {
      if (r.behavior === "merge" || r.behavior === "replace") {
        throw new KustomizeError(
          file,
          field,
          `${
            describeId(r.curId())
          } does not exist; cannot ${r.behavior} it (behavior: ${r.behavior})`,
        );
      }
      this.list.push(r);
      return;
    }
    if (matches.length > 1) {
      throw new KustomizeError(
        file,
        field,
        `found multiple objects that could accept the ${r.behavior} of ${describeId(r.curId())}`,
      );
    }
    const old = matches[0];
    if (r.behavior === "create") {
      throw new KustomizeError(
        file,
        field,
        `${describeId(r.curId())} already exists; use behavior merge or replace`,
      );
    }
    copyMergeMetadata(r, old);
    if (r.behavior === "merge") {
      for (const field of ["data", "binaryData"]) {
        const merged = {
          ...(old.obj[field] as Record<string, unknown> ?? {}),
          ...(r.obj[field] as Record<string, unknown> ?? {}),
        };
        if (Object.keys(merged).length > 0) r.obj[field] = merged;
      }
    }
    this.list[this.list.indexOf(old)] = r;
  }

  remove(r: Resource): void {
    this.changed();
    const i = this.list.indexOf(r);
    if (i >= 0) this.list.splice(i, 1);
  }
}

/** Labels and annotations merge (the newer wins), name and namespace and history are kept. */
function copyMergeMetadata(r: Resource, old: Resource): void {
  const labels = { ...old.labels(), ...r.labels() };
  const annotations = { ...old.annotations(), ...r.annotations() };
  if (Object.keys(labels).length > 0) r.metadata.labels = labels;
  if (Object.keys(annotations).length > 0) r.metadata.annotations = annotations;
  r.name = old.name;
  r.namespace = old.namespace;
  r.prevIds = old.prevIds.map((id) => ({ ...id }));
  r.namePrefixes = [...old.namePrefixes];
  r.nameSuffixes = [...old.nameSuffixes];
  // A hash suffix only when both sides asked for one: merging into a plain object keeps its
  // name, and disableNameSuffixHash in an overlay turns the base's suffix off.
  r.needsHashSuffix = r.needsHashSuffix && old.needsHashSuffix;
}
