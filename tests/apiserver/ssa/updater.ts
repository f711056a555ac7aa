// Server-side apply and update bookkeeping over field sets, as structured-merge-diff's Updater
// does it: apply merges a configuration, detects conflicts with other managers, prunes what the
// applier stopped applying; update takes ownership of what a non-apply write changed.
import { FieldSet, type Path } from "./fieldpath.ts";
import type { TypeNode } from "./schema.ts";
import { compare, merge, removeItems, toFieldSet } from "./typed.ts";

export interface ManagerSet {
  /** The manager's identity (name, operation, subresource, and apiVersion for updates). */
  id: string;
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  subresource?: string;
  time?: string;
  fields: FieldSet;
}

export type Managers = Map<string, ManagerSet>;

export interface Conflict {
  manager: ManagerSet;
  path: Path;
}

export class ApplyConflictError extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super(`${conflicts.length} apply conflict(s)`);
    this.name = "ApplyConflictError";
  }
}

/** Marks the declared struct fields above owned fields as members (SMD's EnsureNamedFieldsAreMembers). */
export function ensureNamedFieldsAreMembers(set: FieldSet, t: TypeNode): FieldSet {
  const out = new FieldSet();
  out.member = set.member;
  for (const [pe, child] of set.children) {
    let ct: TypeNode | undefined;
    let named = false;
    if (t.kind === "map" && pe.startsWith("f:")) {
      const f = t.fields.get(pe.slice(2));
      if (f) {
        ct = f();
        named = true;
      } else ct = t.elem?.();
    } else if (t.kind === "list") ct = t.elem();
    const sub = ct ? ensureNamedFieldsAreMembers(child, ct) : child.clone();
    if (named) sub.member = true;
    out.children.set(pe, sub);
  }
  return out;
}

function unionOf(managers: Managers): FieldSet {
  let all = new FieldSet();
  for (const m of managers.values()) all = all.union(m.fields);
  return all;
}

/**
 * Takes the changes from `oldObj` to `newObj` away from other managers, and reports the
 * fields other managers own that `newObj` changes (conflicts) unless `force`.
 */
function takeOwnership(
  oldObj: unknown,
  newObj: unknown,
  t: TypeNode,
  managers: Managers,
  workflowId: string,
  force: boolean,
  ignored: FieldSet,
): { managers: Managers; added: FieldSet; modified: FieldSet; removed: FieldSet } {
  const c = compare(oldObj, newObj, t);
  const added = c.added.withoutPrefixes(ignored);
  const modified = c.modified.withoutPrefixes(ignored);
  const removed = c.removed.withoutPrefixes(ignored);
  const changed = modified.union(added);
  const conflicts: Conflict[] = [];
  const next: Managers = new Map();
  for (const [id, m] of managers) {
    if (id === workflowId) {
      next.set(id, m);
      continue;
    }
    const conflictSet = m.fields.intersection(changed);
    for (const path of conflictSet.paths()) conflicts.push({ manager: m, path });
    const rest = m.fields.difference(conflictSet).difference(removed);
    if (!rest.empty()) next.set(id, { ...m, fields: rest });
  }
  if (!force && conflicts.length > 0) throw new ApplyConflictError(conflicts);
  return { managers: next, added, modified, removed };
}

/** A non-apply write (create, update, patch): the writer owns what it changed. */
export function update(
  oldObj: unknown,
  newObj: unknown,
  t: TypeNode,
  managers: Managers,
  writer: ManagerSet,
  ignored: FieldSet,
): Managers {
  const r = takeOwnership(oldObj, newObj, t, managers, writer.id, true, ignored);
  const previous = r.managers.get(writer.id)?.fields ?? new FieldSet();
  const fields = previous.difference(r.removed).union(r.modified).union(r.added);
  const next = r.managers;
  if (fields.empty()) next.delete(writer.id);
  else next.set(writer.id, { ...writer, fields });
  return next;
}

export interface ApplyResult {
  object: unknown;
  managers: Managers;
}

/** A server-side apply of `config` by `applier` onto `live` (which may be an empty object). */
export function apply(
  live: unknown,
  config: unknown,
  t: TypeNode,
  managers: Managers,
  applier: ManagerSet,
  force: boolean,
  ignored: FieldSet,
): ApplyResult {
  const merged = merge(live, config, t);
  const lastSet = managers.get(applier.id)?.fields;
  const newSet = toFieldSet(config, t).withoutPrefixes(ignored);
  const withApplier: Managers = new Map(managers);
  withApplier.set(applier.id, { ...applier, fields: newSet });
  const pruned = lastSet && !lastSet.empty()
    ? prune(merged, t, withApplier, lastSet, ignored)
    : merged;
  const r = takeOwnership(live, pruned, t, withApplier, applier.id, force, ignored);
  for (const [id, m] of r.managers) if (m.fields.empty()) r.managers.delete(id);
  return { object: pruned, managers: r.managers };
}

/** Removes the fields the applier owned last time, no longer applies, and nobody else owns. */
function prune(
  merged: unknown,
  t: TypeNode,
  managers: Managers,
  lastSet: FieldSet,
  ignored: FieldSet,
): unknown {
  const last = ensureNamedFieldsAreMembers(lastSet, t);
  const owned = ensureNamedFieldsAreMembers(unionOf(managers).union(ignored), t);
  const present = ensureNamedFieldsAreMembers(toFieldSet(merged, t), t);
  const remove = last.difference(owned).intersection(present);
  if (remove.empty()) return merged;
  return removeItems(merged, t, remove);
}
