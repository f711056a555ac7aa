// Readiness of one object by the kstatus rules (sigs.k8s.io/cli-utils): per-kind rules for the
// built-in workloads, then the generic rules every well-behaved controller follows
// (observedGeneration, Ready / Reconciling / Stalled conditions).
import type { KubeObject } from "../types.ts";

export type HealthStatus =
  | "Current"
  | "InProgress"
  | "Failed"
  | "Terminating"
  | "NotFound"
  | "Unknown";

export interface Health {
  status: HealthStatus;
  /** Why, in words: "Deployment: updated 1/3 replicas". */
  message: string;
}

interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
}

const current = (message: string): Health => ({ status: "Current", message });
const inProgress = (message: string): Health => ({ status: "InProgress", message });
const failed = (message: string): Health => ({ status: "Failed", message });

/** Computes the health of one live object. */
export function checkHealth(obj: KubeObject | undefined): Health {
  if (!obj) return { status: "NotFound", message: "the object does not exist" };
  if (obj.metadata.deletionTimestamp) {
    return { status: "Terminating", message: "the object is being deleted" };
  }
  const generic = genericRules(obj);
  if (generic) return generic;
  const group = obj.apiVersion.includes("/") ? obj.apiVersion.split("/")[0] : "";
  const rule = KIND_RULES[`${group}/${obj.kind}`];
  if (rule) return rule(obj);
  return conditionRules(obj) ?? current("resource is current");
}

/** Rules every kind shares: a controller that has not seen the latest spec is in progress. */
function genericRules(obj: KubeObject): Health | undefined {
  const status = statusOf(obj);
  const generation = obj.metadata.generation;
  const observed = status.observedGeneration;
  if (typeof generation === "number" && typeof observed === "number" && observed < generation) {
    return inProgress(
      `${obj.kind} generation is ${generation}, but latest observed is ${observed}`,
    );
  }
  return undefined;
}

/** Ready / Reconciling / Stalled conditions, as custom resources (Flux's own) report them. */
function conditionRules(obj: KubeObject): Health | undefined {
  const conditions = conditionsOf(obj);
  const stalled = conditions.find((c) => c.type === "Stalled" && c.status === "True");
  if (stalled) return failed(stalled.message || stalled.reason || "Stalled");
  const reconciling = conditions.find((c) => c.type === "Reconciling" && c.status === "True");
  if (reconciling) return inProgress(reconciling.message || reconciling.reason || "Reconciling");
  const ready = conditions.find((c) => c.type === "Ready");
  if (ready?.status === "False") {
    return inProgress(`not ready: ${ready.message || ready.reason || "Ready is False"}`);
  }
  if (ready?.status === "Unknown") return inProgress(ready.message || "Ready is Unknown");
  if (ready?.status === "True") return current(ready.message || "Ready");
  return undefined;
}

type Rule = (obj: KubeObject) => Health;

const KIND_RULES: Record<string, Rule> = {
  "apps/Deployment": deployment,
  "apps/StatefulSet": statefulSet,
  "apps/DaemonSet": daemonSet,
  "apps/ReplicaSet": replicaSet,
  "batch/Job": job,
  "/Pod": pod,
  "/PersistentVolumeClaim": pvc,
  "/Service": service,
  "/Namespace": namespace,
  "apiextensions.k8s.io/CustomResourceDefinition": crd,
  "policy/PodDisruptionBudget": podDisruptionBudget,
};

function deployment(obj: KubeObject): Health {
  const spec = specOf(obj);
  const s = statusOf(obj);
  if (s.observedGeneration === undefined) return inProgress("Deployment has not been observed yet");
  const progressing = conditionsOf(obj).find((c) => c.type === "Progressing");
  if (progressing?.reason === "ProgressDeadlineExceeded") {
    return failed(`progress deadline exceeded: ${progressing.message ?? ""}`.trim());
  }
  const want = num(spec.replicas, 1);
  const updated = num(s.updatedReplicas, 0);
  const total = num(s.replicas, 0);
  const ready = num(s.readyReplicas, 0);
  const available = num(s.availableReplicas, 0);
  if (updated < want) return inProgress(`Deployment: updated ${updated}/${want} replicas`);
  if (total > updated) {
    return inProgress(`Deployment: ${total - updated} old replicas are pending termination`);
  }
  if (available < want) return inProgress(`Deployment: available ${available}/${want} replicas`);
  if (ready < want) return inProgress(`Deployment: ready ${ready}/${want} replicas`);
  const availableCond = conditionsOf(obj).find((c) => c.type === "Available");
  if (availableCond?.status === "False") return inProgress("Deployment is not Available");
  return current(`Deployment is available. Replicas: ${total}`);
}

function statefulSet(obj: KubeObject): Health {
  const spec = specOf(obj);
  const s = statusOf(obj);
  const strategy = (spec.updateStrategy ?? {}) as Record<string, unknown>;
  if (strategy.type === "OnDelete") return current("StatefulSet uses the OnDelete strategy");
  if (s.observedGeneration === undefined) {
    return inProgress("StatefulSet has not been observed yet");
  }
  const want = num(spec.replicas, 1);
  const ready = num(s.readyReplicas, 0);
  const currentReplicas = num(s.currentReplicas, 0);
  const total = num(s.replicas, 0);
  if (total < want) return inProgress(`StatefulSet: replicas ${total}/${want}`);
  if (ready < want) return inProgress(`StatefulSet: ready ${ready}/${want} replicas`);
  const rolling = (strategy.rollingUpdate ?? {}) as Record<string, unknown>;
  const partition = num(rolling.partition, 0);
  if (partition > 0) {
    const updated = num(s.updatedReplicas, 0);
    if (updated < want - partition) {
      return inProgress(
        `StatefulSet: updated ${updated}/${want - partition} replicas (partitioned rollout)`,
      );
    }
    return current(`StatefulSet partitioned rollout complete: ${updated} updated`);
  }
  if (s.updateRevision !== s.currentRevision) {
    return inProgress(`StatefulSet: rolling out revision ${String(s.updateRevision)}`);
  }
  if (currentReplicas < want) {
    return inProgress(`StatefulSet: current ${currentReplicas}/${want} replicas`);
  }
  return current(`All replicas scheduled as expected. Replicas: ${total}`);
}

function daemonSet(obj: KubeObject): Health {
  const s = statusOf(obj);
  if (s.observedGeneration === undefined) return inProgress("DaemonSet has not been observed yet");
  const desired = num(s.desiredNumberScheduled, 0);
  const scheduled = num(s.currentNumberScheduled, 0);
  const updated = num(s.updatedNumberScheduled, 0);
  const available = num(s.numberAvailable, 0);
  const ready = num(s.numberReady, 0);
  if (scheduled < desired) return inProgress(`DaemonSet: scheduled ${scheduled}/${desired} pods`);
  if (updated < desired) return inProgress(`DaemonSet: updated ${updated}/${desired} pods`);
  if (available < desired) return inProgress(`DaemonSet: available ${available}/${desired} pods`);
  if (ready < desired) return inProgress(`DaemonSet: ready ${ready}/${desired} pods`);
  return current(`All replicas scheduled as expected. Replicas: ${desired}`);
}

function replicaSet(obj: KubeObject): Health {
  const spec = specOf(obj);
  const s = statusOf(obj);
  const failure = conditionsOf(obj).find((c) => c.type === "ReplicaFailure" && c.status === "True");
  if (failure) {
    return failed(`ReplicaSet: ${failure.message || failure.reason || "replica failure"}`);
  }
  const want = num(spec.replicas, 1);
  const labeled = num(s.fullyLabeledReplicas, 0);
  const available = num(s.availableReplicas, 0);
  const ready = num(s.readyReplicas, 0);
  if (labeled < want) return inProgress(`ReplicaSet: labelled ${labeled}/${want} replicas`);
  if (available < want) return inProgress(`ReplicaSet: available ${available}/${want} replicas`);
  if (ready < want) return inProgress(`ReplicaSet: ready ${ready}/${want} replicas`);
  return current(`ReplicaSet is available. Replicas: ${want}`);
}

function job(obj: KubeObject): Health {
  const s = statusOf(obj);
  for (const c of conditionsOf(obj)) {
    if (c.type === "Complete" && c.status === "True") {
      return current(`Job completed: ${num(s.succeeded, 0)} succeeded`);
    }
    if (c.type === "Failed" && c.status === "True") {
      return failed(`Job failed: ${c.message || c.reason || "Failed"}`);
    }
  }
  if (!s.startTime) return inProgress("Job not started");
  // kstatus counts a running Job as current: it exists and its controller has picked it up.
  return current(
    `Job in progress: succeeded ${num(s.succeeded, 0)}, active ${num(s.active, 0)}, failed ${
      num(s.failed, 0)
    }`,
  );
}

function pod(obj: KubeObject): Health {
  const s = statusOf(obj);
  const phase = s.phase;
  if (phase === "Succeeded") return current("Pod has completed successfully");
  if (phase === "Failed") {
    return failed(`Pod has failed: ${String(s.reason ?? s.message ?? "")}`.trim());
  }
  const statuses = (s.containerStatuses ?? []) as Record<string, unknown>[];
  for (const cs of statuses) {
    const waiting = ((cs.state ?? {}) as Record<string, Record<string, unknown>>).waiting;
    if (waiting?.reason === "CrashLoopBackOff" || waiting?.reason === "ImagePullBackOff") {
      return failed(`container ${String(cs.name)}: ${waiting.reason}`);
    }
  }
  const ready = conditionsOf(obj).find((c) => c.type === "Ready");
  if (phase === "Running" && ready?.status === "True") return current("Pod is Ready");
  const scheduled = conditionsOf(obj).find((c) => c.type === "PodScheduled");
  if (scheduled?.status === "False") {
    return inProgress(
      `Pod is not scheduled: ${scheduled.message || scheduled.reason || ""}`.trim(),
    );
  }
  return inProgress(`Pod phase is ${String(phase ?? "Pending")}, not Ready yet`);
}

function pvc(obj: KubeObject): Health {
  const phase = statusOf(obj).phase;
  return phase === "Bound"
    ? current("PVC is Bound")
    : inProgress(`PVC is ${String(phase ?? "Pending")}, not Bound`);
}

function service(obj: KubeObject): Health {
  if (specOf(obj).type !== "LoadBalancer") return current("Service is ready");
  const lb = (statusOf(obj).loadBalancer ?? {}) as Record<string, unknown>;
  const ingress = lb.ingress as unknown[] | undefined;
  if (ingress && ingress.length > 0) return current("Service has a load balancer address");
  return inProgress("Service of type LoadBalancer has no external address yet");
}

function namespace(obj: KubeObject): Health {
  const phase = statusOf(obj).phase;
  if (phase === "Terminating") {
    return { status: "Terminating", message: "Namespace is terminating" };
  }
  if (phase === undefined || phase === "Active") return current("Namespace is Active");
  return inProgress(`Namespace phase is ${String(phase)}`);
}

function crd(obj: KubeObject): Health {
  const conditions = conditionsOf(obj);
  const names = conditions.find((c) => c.type === "NamesAccepted");
  if (names?.status === "False") {
    return failed(`CRD names not accepted: ${names.message || names.reason || ""}`.trim());
  }
  const established = conditions.find((c) => c.type === "Established");
  if (established?.status === "True") return current("CRD is Established");
  return inProgress("CRD is not Established yet");
}

function podDisruptionBudget(obj: KubeObject): Health {
  const s = statusOf(obj);
  if (s.observedGeneration === undefined) {
    return inProgress("PodDisruptionBudget has not been observed yet");
  }
  const healthy = num(s.currentHealthy, 0);
  const desired = num(s.desiredHealthy, 0);
  if (healthy < desired) {
    return inProgress(`PodDisruptionBudget: ${healthy} healthy, ${desired} needed`);
  }
  return current(`PodDisruptionBudget is met: ${healthy} healthy, ${desired} needed`);
}

function specOf(obj: KubeObject): Record<string, unknown> {
  return (obj.spec ?? {}) as Record<string, unknown>;
}

function statusOf(obj: KubeObject): Record<string, unknown> {
  const status = obj.status;
  return typeof status === "object" && status !== null ? status as Record<string, unknown> : {};
}

function conditionsOf(obj: KubeObject): Condition[] {
  const conditions = statusOf(obj).conditions;
  return Array.isArray(conditions) ? conditions as Condition[] : [];
}

function num(value: unknown, fallback: number): number {
  return typeof value === "number" ? value : fallback;
}
