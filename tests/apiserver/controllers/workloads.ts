// Deployments, StatefulSets, DaemonSets and ReplicaSets progress to ready after the rollout
// delay: observedGeneration, replicas, updated/ready/available counts and the Available and
// Progressing conditions, or ProgressDeadlineExceeded when the workload is marked to fail.
import type { ResourceType } from "../catalog.ts";
import { meta, specOf, statusOf, timestamp } from "../objects.ts";
import { isObject, type JsonObject } from "../ssa/typed.ts";
import { type ControllerContext, FAIL_ANNOTATION } from "./context.ts";
import { syncDeploymentReplicaSets, syncPods } from "./pods.ts";

function condition(type: string, status: string, reason: string, message: string): JsonObject {
  const now = timestamp();
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

function failing(o: JsonObject): boolean {
  const a = meta(o).annotations;
  return isObject(a) && a[FAIL_ANNOTATION] === "true";
}

function deploymentStatus(o: JsonObject, ready: boolean): JsonObject {
  const replicas = Number(specOf(o).replicas ?? 1);
  const name = String(meta(o).name);
  const gen = meta(o).generation;
  if (failing(o)) {
    return {
      observedGeneration: gen,
      replicas,
      updatedReplicas: replicas,
      unavailableReplicas: replicas,
      conditions: [
        condition(
          "Available",
          "False",
          "MinimumReplicasUnavailable",
          "Deployment does not have minimum availability.",
        ),
        condition(
          "Progressing",
          "False",
          "ProgressDeadlineExceeded",
          `ReplicaSet "${name}-emulated" has timed out progressing.`,
        ),
      ],
    };
  }
  if (!ready) {
    const previous = statusOf(o);
    return {
      observedGeneration: gen,
      replicas,
      updatedReplicas: 0,
      readyReplicas: Number(previous.readyReplicas ?? 0),
      availableReplicas: Number(previous.availableReplicas ?? 0),
      unavailableReplicas: replicas,
      conditions: [
        condition(
          "Progressing",
          "True",
          "ReplicaSetUpdated",
          `ReplicaSet "${name}-emulated" is progressing.`,
        ),
      ],
    };
  }
  const s: JsonObject = {
    observedGeneration: gen,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    conditions: [
      condition(
        "Available",
        "True",
        "MinimumReplicasAvailable",
        "Deployment has minimum availability.",
      ),
      condition(
        "Progressing",
        "True",
        "NewReplicaSetAvailable",
        `ReplicaSet "${name}-emulated" has successfully progressed.`,
      ),
    ],
  };
  if (replicas === 0) {
    delete s.readyReplicas;
    delete s.availableReplicas;
  }
  return s;
}

function statefulSetStatus(o: JsonObject, ready: boolean): JsonObject {
  const replicas = Number(specOf(o).replicas ?? 1);
  const revision = `${meta(o).name}-${meta(o).generation}`;
  const done = ready && !failing(o);
  return {
    observedGeneration: meta(o).generation,
    replicas,
    readyReplicas: done ? replicas : 0,
    currentReplicas: done ? replicas : 0,
    updatedReplicas: done ? replicas : 0,
    availableReplicas: done ? replicas : 0,
    currentRevision: done ? revision : String(statusOf(o).currentRevision ?? revision),
    updateRevision: revision,
    collisionCount: 0,
  };
}

function daemonSetStatus(o: JsonObject, ready: boolean): JsonObject {
  const done = ready && !failing(o);
  return {
    observedGeneration: meta(o).generation,
    desiredNumberScheduled: 1,
    currentNumberScheduled: 1,
    numberMisscheduled: 0,
    numberReady: done ? 1 : 0,
    updatedNumberScheduled: done ? 1 : 0,
    numberAvailable: done ? 1 : 0,
    ...(done ? {} : { numberUnavailable: 1 }),
  };
}

function replicaSetStatus(o: JsonObject, ready: boolean): JsonObject {
  const replicas = Number(specOf(o).replicas ?? 1);
  const done = ready && !failing(o);
  return {
    observedGeneration: meta(o).generation,
    replicas,
    fullyLabeledReplicas: replicas,
    readyReplicas: done ? replicas : 0,
    availableReplicas: done ? replicas : 0,
  };
}

const STATUS: Record<string, (o: JsonObject, ready: boolean) => JsonObject> = {
  deployments: deploymentStatus,
  statefulsets: statefulSetStatus,
  daemonsets: daemonSetStatus,
  replicasets: replicaSetStatus,
};

export const WORKLOAD_RESOURCES = Object.keys(STATUS);

/** Reacts to a created or changed workload: in progress now, ready (or failed) after the delay. */
export function reconcileWorkload(ctx: ControllerContext, rt: ResourceType, o: JsonObject): void {
  const make = STATUS[rt.resource];
  if (!make || meta(o).deletionTimestamp) return;
  const status = statusOf(o);
  if (status.observedGeneration === meta(o).generation) return;
  ctx.later(0, () => {
    const now = ctx.fresh(rt, o);
    if (!now || statusOf(now).observedGeneration === meta(now).generation) return;
    const generation = meta(now).generation;
    if (rt.resource === "deployments" && ctx.simulatePods) syncDeploymentReplicaSets(ctx, rt, now);
    ctx.writeStatus(rt, now, make(now, false));
    ctx.later(ctx.rolloutDelayMs, () => {
      const later = ctx.fresh(rt, now);
      if (!later || meta(later).generation !== generation) return;
      if (ctx.simulatePods && !failing(later)) syncWorkloadPods(ctx, rt, later);
      ctx.writeStatus(rt, later, make(later, true));
    });
  });
}

function syncWorkloadPods(ctx: ControllerContext, rt: ResourceType, o: JsonObject): void {
  const replicas = Number(specOf(o).replicas ?? 1);
  if (rt.resource === "replicasets") syncPods(ctx, rt, o, replicas);
  else if (rt.resource === "statefulsets") {
    syncPods(ctx, rt, o, replicas, (i) => `${meta(o).name}-${i}`);
  } else if (rt.resource === "daemonsets") syncPods(ctx, rt, o, 1);
}
