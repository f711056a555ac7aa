import assert from "node:assert/strict";
import { checkHealth, type KubeObject } from "../../../lib/kube/mod.ts";

function obj(
  apiVersion: string,
  kind: string,
  rest: Record<string, unknown> = {},
  generation = 1,
): KubeObject {
  return { apiVersion, kind, metadata: { name: "x", namespace: "ns", generation }, ...rest };
}

Deno.test("Deployment: in progress until updated, available and ready replicas reach spec.replicas", () => {
  const d = (status: Record<string, unknown>) =>
    obj("apps/v1", "Deployment", { spec: { replicas: 3 }, status });
  assert.equal(checkHealth(d({})).status, "InProgress");
  assert.equal(
    checkHealth(d({ observedGeneration: 0 })).message,
    "Deployment generation is 1, but latest observed is 0",
  );
  assert.equal(
    checkHealth(d({ observedGeneration: 1, replicas: 3, updatedReplicas: 1 })).message,
    "Deployment: updated 1/3 replicas",
  );
  assert.equal(
    checkHealth(d({ observedGeneration: 1, replicas: 4, updatedReplicas: 3 })).message,
    "Deployment: 1 old replicas are pending termination",
  );
  const done = {
    observedGeneration: 1,
    replicas: 3,
    updatedReplicas: 3,
    availableReplicas: 3,
    readyReplicas: 3,
  };
  assert.equal(checkHealth(d(done)).status, "Current");
  assert.equal(
    checkHealth(d({
      ...done,
      updatedReplicas: 1,
      conditions: [{
        type: "Progressing",
        status: "False",
        reason: "ProgressDeadlineExceeded",
        message: "stuck",
      }],
    })).status,
    "Failed",
  );
});

Deno.test("StatefulSet, DaemonSet and ReplicaSet follow the kstatus counters", () => {
  const sts = obj("apps/v1", "StatefulSet", {
    spec: { replicas: 2 },
    status: {
      observedGeneration: 1,
      replicas: 2,
      readyReplicas: 2,
      currentReplicas: 2,
      updateRevision: "r2",
      currentRevision: "r1",
    },
  });
  assert.equal(checkHealth(sts).status, "InProgress");
  (sts.status as Record<string, unknown>).currentRevision = "r2";
  assert.equal(checkHealth(sts).status, "Current");
  const ds = obj("apps/v1", "DaemonSet", {
    status: {
      observedGeneration: 1,
      desiredNumberScheduled: 3,
      currentNumberScheduled: 3,
      updatedNumberScheduled: 2,
    },
  });
  assert.equal(checkHealth(ds).message, "DaemonSet: updated 2/3 pods");
  const rs = obj("apps/v1", "ReplicaSet", {
    spec: { replicas: 1 },
    status: { conditions: [{ type: "ReplicaFailure", status: "True", message: "quota exceeded" }] },
  });
  assert.equal(checkHealth(rs).status, "Failed");
});

Deno.test("Job, Pod, PVC, Service, Namespace and CRD rules", () => {
  assert.equal(checkHealth(obj("batch/v1", "Job", { status: {} })).message, "Job not started");
  assert.equal(
    checkHealth(obj("batch/v1", "Job", { status: { startTime: "t", active: 1 } })).status,
    "Current",
  );
  assert.equal(
    checkHealth(
      obj("batch/v1", "Job", {
        status: {
          conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded" }],
        },
      }),
    )
      .status,
    "Failed",
  );
  const pod = (status: Record<string, unknown>) => obj("v1", "Pod", { status });
  assert.equal(
    checkHealth(pod({ phase: "Running", conditions: [{ type: "Ready", status: "True" }] })).status,
    "Current",
  );
  assert.equal(checkHealth(pod({ phase: "Pending" })).status, "InProgress");
  assert.equal(
    checkHealth(
      pod({
        phase: "Running",
        containerStatuses: [{ name: "app", state: { waiting: { reason: "CrashLoopBackOff" } } }],
      }),
    )
      .status,
    "Failed",
  );
  assert.equal(
    checkHealth(obj("v1", "PersistentVolumeClaim", { status: { phase: "Pending" } })).status,
    "InProgress",
  );
  assert.equal(
    checkHealth(obj("v1", "PersistentVolumeClaim", { status: { phase: "Bound" } })).status,
    "Current",
  );
  assert.equal(
    checkHealth(obj("v1", "Service", { spec: { type: "ClusterIP" } })).status,
    "Current",
  );
  assert.equal(
    checkHealth(obj("v1", "Service", { spec: { type: "LoadBalancer" }, status: {} })).status,
    "InProgress",
  );
  assert.equal(
    checkHealth(
      obj("v1", "Service", {
        spec: { type: "LoadBalancer" },
        status: { loadBalancer: { ingress: [{ ip: "1.2.3.4" }] } },
      }),
    )
      .status,
    "Current",
  );
  assert.equal(
    checkHealth(obj("v1", "Namespace", { status: { phase: "Terminating" } })).status,
    "Terminating",
  );
  assert.equal(
    checkHealth(obj("v1", "Namespace", { status: { phase: "Active" } })).status,
    "Current",
  );
  const crd = (conditions: unknown[]) =>
    obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", { status: { conditions } });
  assert.equal(checkHealth(crd([])).status, "InProgress");
  assert.equal(checkHealth(crd([{ type: "Established", status: "True" }])).status, "Current");
  assert.equal(
    checkHealth(crd([{ type: "NamesAccepted", status: "False", message: "conflict" }])).status,
    "Failed",
  );
});

Deno.test("any kind: Ready condition, observedGeneration, Stalled, deletion and absence", () => {
  const cr = (status: Record<string, unknown>, generation = 2) =>
    obj("example.com/v1", "Widget", { status }, generation);
  assert.equal(checkHealth(cr({})).status, "Current", "no status: nothing to wait for");
  assert.equal(
    checkHealth(cr({ observedGeneration: 1, conditions: [{ type: "Ready", status: "True" }] }))
      .status,
    "InProgress",
  );
  assert.equal(
    checkHealth(cr({ observedGeneration: 2, conditions: [{ type: "Ready", status: "True" }] }))
      .status,
    "Current",
  );
  assert.match(
    checkHealth(
      cr({
        observedGeneration: 2,
        conditions: [{ type: "Ready", status: "False", message: "waiting for db" }],
      }),
    ).message,
    /waiting for db/,
  );
  assert.equal(
    checkHealth(cr({ conditions: [{ type: "Stalled", status: "True", message: "bad spec" }] }))
      .status,
    "Failed",
  );
  const deleting = cr({});
  deleting.metadata.deletionTimestamp = "2026-01-01T00:00:00Z";
  assert.equal(checkHealth(deleting).status, "Terminating");
  assert.equal(checkHealth(undefined).status, "NotFound");
});

Deno.test("PodDisruptionBudget: in progress until enough pods are healthy", () => {
  const pdb = (status: Record<string, unknown>) =>
    obj("policy/v1", "PodDisruptionBudget", { status });
  assert.equal(
    checkHealth(pdb({ observedGeneration: 1, currentHealthy: 1, desiredHealthy: 2 })).status,
    "InProgress",
  );
  assert.equal(
    checkHealth(pdb({ observedGeneration: 1, currentHealthy: 2, desiredHealthy: 2 })).status,
    "Current",
  );
});
