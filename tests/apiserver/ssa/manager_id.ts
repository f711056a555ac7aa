// How the real server tells managers apart in managedFields.
import type { ManagerSet } from "./updater.ts";

export function managerId(m: Omit<ManagerSet, "id" | "fields">): string {
  // The real server identifies appliers without their apiVersion, updaters with it.
  const o: Record<string, string> = { manager: m.manager, operation: m.operation };
  if (m.operation === "Update") o.apiVersion = m.apiVersion;
  if (m.subresource) o.subresource = m.subresource;
  return JSON.stringify(o);
}
