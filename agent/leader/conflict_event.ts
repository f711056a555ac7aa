// The Kubernetes Event that reports two agents on one cluster: a Warning on the presence
// Lease, in the agent's namespace, where `kubectl get events` and `kubectl describe lease`
// show it next to skiff's reconcile events.
import type { KubeClient } from "../../lib/kube/mod.ts";
import type { PresenceConflict } from "./presence.ts";

export const CONFLICT_REASON = "AgentConflict";

export async function recordConflictEvent(
  client: KubeClient,
  lease: { namespace: string; name: string },
  identity: string,
  conflict: PresenceConflict,
): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  await client.create({
    apiVersion: "v1",
    kind: "Event",
    metadata: {
      name: `${lease.name}.${Date.now().toString(16)}`,
      namespace: lease.namespace,
      annotations: { "skiff.dev/other-agent": conflict.other },
    },
    involvedObject: {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      name: lease.name,
      namespace: lease.namespace,
    },
    reason: CONFLICT_REASON,
    message: conflict.message,
    type: "Warning",
    source: { component: "skiff" },
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
    reportingComponent: "skiff",
    reportingInstance: identity,
  });
}
