// Helm 3's `rollback --recreate-pods`: after the rollback's objects are updated, the Pods
// selected by each updated workload (or Service) are deleted so their controllers start them
// again. As in Helm 3, this is best effort: a failure is logged and the rollback goes on.
// (Helm 4 dropped the flag, and Flux 2.8 with it; Flux up to 2.7 passes it to Helm 3.)
import type { KubeClient, KubeObject, ObjectId } from "../../kube/mod.ts";

/** Kinds whose selector names Pods, as kubectl's SelectorsForObject knows them. */
const SELECTING_KINDS = new Set([
  "Deployment",
  "ReplicaSet",
  "StatefulSet",
  "DaemonSet",
  "Job",
  "ReplicationController",
  "Service",
]);

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A label selector in the query syntax, or undefined when it selects nothing sensible. */
export function selectorQuery(obj: KubeObject): string | undefined {
  const spec = (obj.spec ?? {}) as { selector?: unknown };
  const selector = spec.selector;
  if (!selector || typeof selector !== "object") return undefined;
  // ReplicationController and Service: a plain map; the others: a LabelSelector.
  const plain = obj.kind === "ReplicationController" || obj.kind === "Service";
  const s: LabelSelector = plain
    ? { matchLabels: selector as Record<string, string> }
    : selector as LabelSelector;
  const parts = Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of s.matchExpressions ?? []) {
    const values = (e.values ?? []).join(",");
    if (e.operator === "In") parts.push(`${e.key} in (${values})`);
    else if (e.operator === "NotIn") parts.push(`${e.key} notin (${values})`);
    else if (e.operator === "Exists") parts.push(e.key);
    else if (e.operator === "DoesNotExist") parts.push(`!${e.key}`);
  }
  // An empty selector would select every Pod of the namespace: never delete those.
  return parts.length > 0 ? parts.join(",") : undefined;
}

/**
 * Deletes the Pods of the workloads among `updated`; returns the Pods deleted
 * ("namespace/name"). Errors go to `log` and stop nothing.
 */
export async function recreatePods(
  client: KubeClient,
  updated: ObjectId[],
  log: (message: string) => void = () => {},
): Promise<string[]> {
  const deleted: string[] = [];
  for (const id of updated.filter((i) => SELECTING_KINDS.has(i.kind))) {
    try {
      const live = await client.getIfExists(id.apiVersion, id.kind, id.name, id.namespace);
      const query = live && selectorQuery(live);
      if (!query) continue;
      const pods = await client.list("v1", "Pod", {
        namespace: id.namespace,
        labelSelector: query,
      });
      for (const pod of pods.items) {
        const name = pod.metadata.name ?? "";
        await client.delete({
          apiVersion: "v1",
          kind: "Pod",
          name,
          namespace: pod.metadata.namespace,
        }, { preconditions: { uid: pod.metadata.uid } });
        deleted.push(`${pod.metadata.namespace}/${name}`);
      }
    } catch (e) {
      log(
        `unable to recreate pods for object ${
          id.namespace ?? ""
        }/${id.name} because an error occurred: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
  return deleted;
}
