// Reading the live copies of a stage's objects with as few requests as possible: one list per
// kind and namespace, falling back to one get per object where listing is not allowed (a
// tenant's service account often may get but not list).
import type { KubeClient } from "../client/mod.ts";
import { KubeApiError, UnknownKindError } from "../errors.ts";
import { type KubeObject, refKey, refOf } from "../types.ts";
import { mapLimited } from "./pool.ts";

/** Live objects by refKey; a missing key means the object does not exist (or its kind is unknown). */
export async function readLive(
  client: KubeClient,
  objects: KubeObject[],
  concurrency: number,
): Promise<Map<string, KubeObject>> {
  const groups = new Map<string, KubeObject[]>();
  for (const o of objects) {
    const key = `${o.apiVersion}|${o.kind}|${o.metadata.namespace ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  const live = new Map<string, KubeObject>();
  await mapLimited([...groups.values()], concurrency, async (members) => {
    const { apiVersion, kind } = members[0];
    const namespace = members[0].metadata.namespace;
    const wanted = new Set(members.map((m) => refKey(refOf(m))));
    try {
      // A single object is cheaper to get than its whole kind to list.
      if (members.length === 1) {
        const one = await client.getIfExists(
          apiVersion,
          kind,
          members[0].metadata.name!,
          namespace,
        );
        if (one) {
          live.set(refKey(refOf({ ...one, apiVersion, kind })), { ...one, apiVersion, kind });
        }
        return;
      }
      const list = await client.list(apiVersion, kind, { namespace });
      for (const item of list.items) {
        const key = refKey(refOf(item));
        if (wanted.has(key)) live.set(key, item);
      }
    } catch (e) {
      if (e instanceof UnknownKindError) return; // its CRD comes in this same apply
      if (e instanceof KubeApiError && (e.isForbidden || e.code === 405)) {
        await mapLimited(members, concurrency, async (m) => {
          const one = await client.getIfExists(apiVersion, kind, m.metadata.name!, namespace);
          if (one) live.set(refKey(refOf(m)), { ...one, apiVersion, kind });
        });
        return;
      }
      throw e;
    }
  });
  return live;
}
