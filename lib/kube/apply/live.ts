// Reading the live copies of a stage's objects with as few requests as possible: one list per
// kind and namespace, falling back to one get per object where listing is not allowed (a
// tenant's service account often may get but not list).
import type { KubeClient } from "../client/mod.ts";
import { KubeApiError, UnknownKindError } from "../errors.ts";
import { idOf, type KubeObject, refKey, refOf } from "../types.ts";
import type { ObjectFailure } from "./changeset.ts";
import { mapLimited } from "./pool.ts";

export interface LiveState {
  /** Live objects by refKey; a missing key means the object does not exist (or its kind is unknown). */
  objects: Map<string, KubeObject>;
  /** Objects whose live state could not be read (forbidden, server errors). */
  failures: ObjectFailure[];
}

export async function readLive(
  client: KubeClient,
  objects: KubeObject[],
  concurrency: number,
): Promise<LiveState> {
  const groups = new Map<string, KubeObject[]>();
  for (const o of objects) {
    const key = `${o.apiVersion}|${o.kind}|${o.metadata.namespace ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  const live = new Map<string, KubeObject>();
  const failures: ObjectFailure[] = [];
  const getEach = (members: KubeObject[]) =>
    mapLimited(members, concurrency, async (m) => {
      try {
        const one = await client.getIfExists(
          m.apiVersion,
          m.kind,
          m.metadata.name!,
          m.metadata.namespace,
        );
        if (one) live.set(refKey(refOf(m)), { ...one, apiVersion: m.apiVersion, kind: m.kind });
      } catch (e) {
        if (e instanceof UnknownKindError) return; // its CRD comes in this same apply
        failures.push({
          id: idOf(m),
          reason: e instanceof Error ? e.message : String(e),
          error: e,
        });
      }
    });
  await mapLimited([...groups.values()], concurrency, async (members) => {
    // A single object is cheaper to get than its whole kind to list.
    if (members.length === 1) return void await getEach(members);
    const { apiVersion, kind } = members[0];
    const wanted = new Set(members.map((m) => refKey(refOf(m))));
    try {
      const list = await client.list(apiVersion, kind, {
        namespace: members[0].metadata.namespace,
        limit: 500, // pages keep a crowded namespace from becoming one huge response
      });
      for (const item of list.items) {
        const key = refKey(refOf(item));
        if (wanted.has(key)) live.set(key, item);
      }
    } catch (e) {
      if (e instanceof UnknownKindError) return;
      if (e instanceof KubeApiError && (e.isForbidden || e.code === 405)) {
        return void await getEach(members);
      }
      for (const m of members) {
        failures.push({
          id: idOf(m),
          reason: e instanceof Error ? e.message : String(e),
          error: e,
        });
      }
    }
  });
  return { objects: live, failures };
}
