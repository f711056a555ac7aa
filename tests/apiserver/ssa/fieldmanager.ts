// metadata.managedFields on real objects: decoding/encoding the entries, which fields are never
// tracked (identity metadata; status on the main resource; everything but status on /status),
// the `before-first-apply` manager, kubectl's client-side-apply upgrade, and conflict Status.
import { ApiError } from "../status.ts";
import { capUpdateManagers } from "./cap_managers.ts";
import { managerId } from "./manager_id.ts";

export { managerId } from "./manager_id.ts";
import { fieldElement, FieldSet, pathString } from "./fieldpath.ts";
import type { TypeNode } from "./schema.ts";
import { deepEqual, isObject, type JsonObject, toFieldSet } from "./typed.ts";
import {
  apply,
  ApplyConflictError,
  type Conflict,
  type Managers,
  type ManagerSet,
  update,
} from "./updater.ts";
import { compare } from "./typed.ts";

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: "Apply" | "Update";
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: unknown;
  subresource?: string;
}

export interface WriteContext {
  manager: string;
  apiVersion: string;
  subresource?: string;
  /** Whether the resource has a status subresource (then status is not tracked on the main one). */
  hasStatus: boolean;
  now: string;
}

const META_IGNORED = [
  "name",
  "namespace",
  "creationTimestamp",
  "selfLink",
  "uid",
  "generation",
  "managedFields",
  "resourceVersion",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
];

function ignoredFields(ctx: WriteContext, objects: unknown[]): FieldSet {
  const s = new FieldSet();
  s.insert([fieldElement("apiVersion")]);
  s.insert([fieldElement("kind")]);
  for (const f of META_IGNORED) s.insert([fieldElement("metadata"), fieldElement(f)]);
  if (ctx.subresource === "status") {
    for (const o of objects) {
      if (!isObject(o)) continue;
      for (const k of Object.keys(o)) if (k !== "status") s.insert([fieldElement(k)]);
    }
  } else if (ctx.hasStatus) {
    s.insert([fieldElement("status")]);
  }
  return s;
}

export function decodeManagers(obj: unknown): Managers {
  const out: Managers = new Map();
  const entries = (isObject(obj) && isObject(obj.metadata) ? obj.metadata.managedFields : []) as
    | ManagedFieldsEntry[]
    | undefined;
  for (const e of entries ?? []) {
    const base = {
      manager: e.manager ?? "",
      operation: e.operation ?? "Update",
      apiVersion: e.apiVersion ?? "",
      subresource: e.subresource || undefined,
      time: e.time,
    };
    out.set(managerId(base), {
      ...base,
      id: managerId(base),
      fields: FieldSet.fromFieldsV1(e.fieldsV1),
    });
  }
  return out;
}

export function encodeManagers(managers: Managers): ManagedFieldsEntry[] {
  const out: ManagedFieldsEntry[] = [];
  for (const m of managers.values()) {
    const e: ManagedFieldsEntry = {
      manager: m.manager,
      operation: m.operation,
      apiVersion: m.apiVersion,
    };
    if (m.time) e.time = m.time;
    e.fieldsType = "FieldsV1";
    e.fieldsV1 = m.fields.toFieldsV1();
    if (m.subresource) e.subresource = m.subresource;
    out.push(e);
  }
  // The real server keeps appliers before updaters, then orders by time.
  return out.sort((a, b) => {
    if (a.operation !== b.operation) return a.operation === "Apply" ? -1 : 1;
    return (a.time ?? "").localeCompare(b.time ?? "");
  });
}

function withoutManagedFields(obj: unknown): unknown {
  if (!isObject(obj) || !isObject(obj.metadata)) return obj;
  const meta = { ...obj.metadata };
  delete meta.managedFields;
  return { ...obj, metadata: meta };
}

function setManaged(obj: unknown, managers: Managers): JsonObject {
  const o = { ...(obj as JsonObject) };
  const meta = { ...((o.metadata ?? {}) as JsonObject) };
  const entries = encodeManagers(managers);
  if (entries.length > 0) meta.managedFields = entries as unknown as JsonObject[];
  else delete meta.managedFields;
  o.metadata = meta;
  return o;
}

/** Records a non-apply write (create when `oldObj` is undefined) in the new object's managedFields. */
export function recordUpdate(
  oldObj: JsonObject | undefined,
  newObj: JsonObject,
  t: TypeNode,
  ctx: WriteContext,
): JsonObject {
  const requested = (newObj.metadata as JsonObject | undefined)?.managedFields;
  if (isResetRequest(requested)) {
    // The documented ways to reset managedFields: an empty list, or one empty entry, clears them.
    return setManaged(newObj, new Map());
  }
  // A writer that sends managedFields replaces them; one that omits them keeps the live ones.
  const managers = decodeManagers(
    Array.isArray(requested) && requested.length > 0 ? newObj : oldObj ?? newObj,
  );
  const writer = writerSet(ctx, "Update");
  const before = oldObj ? withoutManagedFields(oldObj) : zeroLike(newObj, t);
  const after = withoutManagedFields(newObj);
  const ignored = ignoredFields(ctx, [before, after]);
  const next = update(before, after, t, managers, writer, ignored);
  touch(next, managers, writer.id, ctx.now);
  return setManaged(newObj, capUpdateManagers(next));
}

/** `[]` or `[{}]`: kube-apiserver's isResetManagedFields (an absent list keeps the live ones). */
function isResetRequest(requested: unknown): boolean {
  if (!Array.isArray(requested)) return false;
  if (requested.length === 0) return true;
  return requested.length === 1 && isObject(requested[0]) &&
    Object.keys(requested[0]).length === 0;
}

function writerSet(ctx: WriteContext, operation: "Apply" | "Update"): ManagerSet {
  const base = {
    manager: ctx.manager,
    operation,
    apiVersion: ctx.apiVersion,
    subresource: ctx.subresource,
    time: ctx.now,
  };
  return { ...base, id: managerId(base), fields: new FieldSet() };
}

/** The writer's entry gets a new time only when its fields changed (as the real server does). */
function touch(next: Managers, before: Managers, id: string, now: string): void {
  const m = next.get(id);
  if (!m) return;
  const old = before.get(id);
  const same = old && deepEqual(old.fields.toFieldsV1(), m.fields.toFieldsV1());
  next.set(id, { ...m, time: same ? old.time ?? now : now });
}

/**
 * The object a create is compared against: Go's zero value keeps the declared struct fields the
 * new object has, so creating them is not recorded as adding the struct itself.
 */
function zeroLike(v: unknown, t: TypeNode): unknown {
  if (!isObject(v) || t.kind !== "map" || t.atomic) return {};
  const out: JsonObject = {};
  for (const [k, child] of Object.entries(v)) {
    const f = t.fields.get(k);
    if (!f) continue;
    const ft = f();
    if (ft.kind === "map" && !ft.elem && !ft.atomic && isObject(child)) {
      out[k] = zeroLike(child, ft) as JsonObject;
    }
  }
  return out;
}

export interface ApplyOptions {
  force: boolean;
}

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** A server-side apply: returns the merged object with its managedFields, or a 409 ApiError. */
export function recordApply(
  live: JsonObject | undefined,
  config: JsonObject,
  t: TypeNode,
  ctx: WriteContext,
  options: ApplyOptions,
): JsonObject {
  let managers = decodeManagers(live);
  const liveBody = live ? withoutManagedFields(live) : {};
  if (live && managers.size === 0) {
    // Objects written before anyone applied: their fields go to a placeholder manager.
    const ignored = ignoredFields(ctx, [liveBody]);
    const base = {
      manager: "before-first-apply",
      operation: "Update" as const,
      apiVersion: ctx.apiVersion,
      time: ctx.now,
    };
    const fields = toFieldSet(liveBody, t).withoutPrefixes(ignored);
    if (!fields.empty()) managers.set(managerId(base), { ...base, id: managerId(base), fields });
  }
  const applier = writerSet(ctx, "Apply");
  const configBody = withoutManagedFields(config);
  const ignored = ignoredFields(ctx, [liveBody, configBody]);
  let result;
  try {
    result = apply(liveBody, configBody, t, managers, applier, options.force, ignored);
  } catch (e) {
    if (!(e instanceof ApplyConflictError)) throw e;
    const allowed = ctx.manager === "kubectl" && live
      ? clientSideApplyOwned(liveBody, t, ignored)
      : undefined;
    const remaining = allowed ? e.conflicts.filter((c) => !allowed.has(c.path)) : e.conflicts;
    if (remaining.length > 0) throw conflictStatus(remaining);
    // kubectl's upgrade from client-side apply: fields recorded in last-applied move over.
    result = apply(liveBody, configBody, t, managers, applier, true, ignored);
  }
  managers = result.managers;
  touch(managers, decodeManagers(live), applier.id, ctx.now);
  let out = result.object as JsonObject;
  out = updateLastApplied(live, out, config, ctx);
  return setManaged(out, capUpdateManagers(managers));
}

/** Fields whose live value still equals the last client-side-applied value. */
function clientSideApplyOwned(live: unknown, t: TypeNode, ignored: FieldSet): FieldSet | undefined {
  const annotations = (live as { metadata?: { annotations?: Record<string, string> } }).metadata
    ?.annotations;
  const text = annotations?.[LAST_APPLIED];
  if (!text) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return undefined;
  }
  const set = toFieldSet(last, t).withoutPrefixes(ignored);
  const c = compare(last, live, t);
  return set.difference(c.modified);
}

/** kubectl keeps last-applied-configuration in step when it upgrades to server-side apply. */
function updateLastApplied(
  live: JsonObject | undefined,
  out: JsonObject,
  config: JsonObject,
  ctx: WriteContext,
): JsonObject {
  const annotations = (live?.metadata as JsonObject | undefined)?.annotations as
    | Record<string, string>
    | undefined;
  if (ctx.manager !== "kubectl" || !annotations?.[LAST_APPLIED]) return out;
  const meta = { ...(out.metadata as JsonObject) };
  const outAnnotations = { ...((meta.annotations ?? {}) as Record<string, string>) };
  outAnnotations[LAST_APPLIED] = JSON.stringify(config);
  meta.annotations = outAnnotations;
  return { ...out, metadata: meta };
}

function describeManager(m: ManagerSet): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  // The real server names managers by their identity, which has no time.
  if (m.operation === "Update") s += ` using ${m.apiVersion}`;
  return s;
}

/** The 409 the real server sends for apply conflicts, message and causes alike. */
export function conflictStatus(conflicts: Conflict[]): ApiError {
  const causes = conflicts.map((c) => ({
    reason: "FieldManagerConflict",
    message: `conflict with ${describeManager(c.manager)}`,
    field: pathString(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    const c = conflicts[0];
    message = `Apply failed with 1 conflict: conflict with ${describeManager(c.manager)}: ${
      pathString(c.path)
    }`;
  } else {
    const byManager = new Map<string, Conflict[]>();
    for (const c of conflicts) {
      const list = byManager.get(c.manager.id) ?? [];
      list.push(c);
      byManager.set(c.manager.id, list);
    }
    const lines: string[] = [];
    for (const id of [...byManager.keys()].sort()) {
      const list = byManager.get(id)!;
      lines.push(`conflicts with ${describeManager(list[0].manager)}:`);
      for (const c of list) lines.push(`- ${pathString(c.path)}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
  }
  return new ApiError(409, "Conflict", message, { causes });
}
