// Small typed accessors for objects in their wire shape.
import { isObject, type JsonObject } from "./ssa/typed.ts";

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export function meta(o: JsonObject): JsonObject {
  if (!isObject(o.metadata)) o.metadata = {};
  return o.metadata as JsonObject;
}

export function nameOf(o: JsonObject): string {
  return String(meta(o).name ?? "");
}

export function namespaceOf(o: JsonObject): string {
  return String(meta(o).namespace ?? "");
}

export function labelsOf(o: JsonObject): Record<string, string> {
  const l = meta(o).labels;
  return isObject(l) ? l as Record<string, string> : {};
}

export function finalizersOf(o: JsonObject): string[] {
  const f = meta(o).finalizers;
  return Array.isArray(f) ? f.map(String) : [];
}

export function ownerReferencesOf(o: JsonObject): OwnerReference[] {
  const r = meta(o).ownerReferences;
  return Array.isArray(r) ? r as unknown as OwnerReference[] : [];
}

export function specOf(o: JsonObject): JsonObject {
  return isObject(o.spec) ? o.spec : {};
}

export function statusOf(o: JsonObject): JsonObject {
  return isObject(o.status) ? o.status : {};
}

/** RFC 3339 with seconds, as Kubernetes writes timestamps. */
export function timestamp(ms = Date.now()): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}
