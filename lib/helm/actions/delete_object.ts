import { KubeApiError, type KubeClient, type KubeObject, type ObjectId } from "../../kube/mod.ts";

export type Propagation = "Background" | "Foreground" | "Orphan";

/** The ObjectId of a manifest object (a missing name is sent empty and refused by the server). */
export function idOfObject(obj: KubeObject): ObjectId {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name: obj.metadata.name ?? "",
    namespace: obj.metadata.namespace,
  };
}

/**
 * Deletes an object the way every Helm action does: an object already gone is not an error
 * (Helm ignores NotFound on delete). Returns whether there was something to delete.
 */
export async function deleteIfPresent(
  client: KubeClient,
  target: ObjectId,
  propagationPolicy: Propagation = "Background",
): Promise<boolean> {
  try {
    await client.delete(target, { propagationPolicy });
    return true;
  } catch (e) {
    if (e instanceof KubeApiError && e.isNotFound) return false;
    throw e;
  }
}
