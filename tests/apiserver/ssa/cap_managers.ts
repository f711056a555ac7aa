// The real server keeps at most 10 Update managers: the oldest are merged, per apiVersion, into
// an "ancient-changes" manager so managedFields cannot grow without bound.
import { managerId } from "./manager_id.ts";
import type { Managers, ManagerSet } from "./updater.ts";

export const MAX_UPDATE_MANAGERS = 10;
export const ANCIENT_CHANGES = "ancient-changes";

export function capUpdateManagers(managers: Managers, max = MAX_UPDATE_MANAGERS): Managers {
  const updaters = [...managers.values()].filter((m) => m.operation === "Update");
  if (updaters.length <= max) return managers;
  updaters.sort((a, b) => (a.time ?? "").localeCompare(b.time ?? ""));
  const out: Managers = new Map(managers);
  const firstOfVersion = new Map<string, ManagerSet>();
  let count = updaters.length;
  for (const m of updaters) {
    if (count <= max) break;
    const first = firstOfVersion.get(m.apiVersion);
    if (!first) {
      firstOfVersion.set(m.apiVersion, m);
      continue;
    }
    const base = {
      manager: ANCIENT_CHANGES,
      operation: "Update" as const,
      apiVersion: m.apiVersion,
    };
    const bucketId = managerId(base);
    let bucket = out.get(bucketId);
    if (!bucket) {
      // The first manager of this version becomes the bucket.
      out.delete(first.id);
      bucket = { ...base, id: bucketId, fields: first.fields, time: first.time };
    }
    out.set(bucketId, { ...bucket, fields: bucket.fields.union(m.fields), time: m.time });
    out.delete(m.id);
    count--;
  }
  return out;
}
