// The objects below workloads, so `kubectl get pods` and `rollout history` look like a cluster:
// a Deployment gets a ReplicaSet per pod template (pod-template-hash, revision annotation; older
// ones scaled to 0), ReplicaSets, StatefulSets and DaemonSets get Running, Ready Pods on the
// emulated node when they become ready. No containers run.
import type { ResourceType } from "../catalog.ts";
import { meta, nameOf, namespaceOf, ownerReferencesOf, specOf, timestamp } from "../objects.ts";
import { isObject, type JsonObject } from "../ssa/typed.ts";
import { CONTROLLER_MANAGER, type ControllerContext } from "./context.ts";

const ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** A short stable hash in the alphabet Kubernetes uses for generated names. */
function shortHash(text: string, length: number): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  let out = "";
  let n = h;
  for (let i = 0; i < length; i++) {
    out += ALPHABET[n % ALPHABET.length];
    n = Math.floor(n / ALPHABET.length) || (h = Math.imul(h, 2654435761) >>> 0);
  }
  return out;
}

let podCounter = 0;
let podIp = 10;

function ownerRef(rt: ResourceType, o: JsonObject): JsonObject {
  return {
    apiVersion: rt.apiVersion,
    kind: rt.kind,
    name: nameOf(o),
    uid: String(meta(o).uid),
    controller: true,
    blockOwnerDeletion: true,
  };
}

function ownedBy(o: JsonObject, owner: JsonObject): boolean {
  return ownerReferencesOf(o).some((r) => r.uid === meta(owner).uid);
}

/** Creates or scales the Deployment's ReplicaSet for its current template; old ones go to 0. */
export function syncDeploymentReplicaSets(
  ctx: ControllerContext,
  rt: ResourceType,
  d: JsonObject,
): void {
  const rsType = ctx.type("apps", "replicasets");
  if (!rsType) return;
  const ns = namespaceOf(d);
  const spec = specOf(d);
  const template = structuredClone(isObject(spec.template) ? spec.template : {}) as JsonObject;
  const hash = shortHash(JSON.stringify(template), 10);
  const replicas = Number(spec.replicas ?? 1);
  const owned = ctx.api.list(rsType, ns).items.filter((rs) => ownedBy(rs, d));
  const revisions = owned.map((rs) =>
    Number(
      (meta(rs).annotations as Record<string, string> | undefined)
        ?.["deployment.kubernetes.io/revision"] ?? 0,
    )
  );
  const name = `${nameOf(d)}-${hash}`;
  for (const rs of owned) {
    if (nameOf(rs) === name) continue;
    if (Number(specOf(rs).replicas ?? 0) !== 0) {
      ctx.api.update(rsType, ns, nameOf(rs), { ...rs, spec: { ...specOf(rs), replicas: 0 } }, {
        fieldManager: CONTROLLER_MANAGER,
      });
    }
  }
  const current = owned.find((rs) => nameOf(rs) === name);
  if (current) {
    if (Number(specOf(current).replicas ?? 0) !== replicas) {
      ctx.api.update(rsType, ns, name, { ...current, spec: { ...specOf(current), replicas } }, {
        fieldManager: CONTROLLER_MANAGER,
      });
    }
    return;
  }
  const tmeta = isObject(template.metadata) ? template.metadata : {};
  tmeta.labels = { ...(isObject(tmeta.labels) ? tmeta.labels : {}), "pod-template-hash": hash };
  template.metadata = tmeta;
  const selector = isObject(spec.selector) ? structuredClone(spec.selector) : {};
  selector.matchLabels = {
    ...(isObject(selector.matchLabels) ? selector.matchLabels : {}),
    "pod-template-hash": hash,
  };
  ctx.api.create(rsType, ns, {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name,
      namespace: ns,
      labels: tmeta.labels,
      annotations: {
        "deployment.kubernetes.io/desired-replicas": String(replicas),
        "deployment.kubernetes.io/max-replicas": String(replicas + 1),
        "deployment.kubernetes.io/revision": String(Math.max(0, ...revisions) + 1),
      },
      ownerReferences: [ownerRef(rt, d)],
    },
    spec: { replicas, selector, template },
  }, { fieldManager: CONTROLLER_MANAGER });
}

function podStatus(containers: JsonObject[]): JsonObject {
  const now = timestamp();
  const cond = (type: string) => ({
    type,
    status: "True",
    lastProbeTime: null,
    lastTransitionTime: now,
  });
  return {
    phase: "Running",
    conditions: [
      "PodReadyToStartContainers",
      "Initialized",
      "Ready",
      "ContainersReady",
      "PodScheduled",
    ]
      .map(cond),
    hostIP: "127.0.0.1",
    hostIPs: [{ ip: "127.0.0.1" }],
    podIP: `10.244.0.${(podIp++ % 250) + 2}`,
    startTime: now,
    qosClass: "BestEffort",
    containerStatuses: containers.map((c) => ({
      name: c.name,
      image: c.image,
      imageID: "",
      containerID: `containerd://${shortHash(`${c.name}${podCounter}`, 12)}`,
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: now } },
    })),
  };
}

/** Makes the owner's Pods match `replicas`: Running and Ready ones are added, extras removed. */
export function syncPods(
  ctx: ControllerContext,
  rt: ResourceType,
  owner: JsonObject,
  replicas: number,
  names?: (i: number) => string,
): void {
  const podType = ctx.type("", "pods");
  if (!podType) return;
  const ns = namespaceOf(owner);
  const owned = ctx.api.list(podType, ns).items.filter((p) => ownedBy(p, owner));
  const spec = specOf(owner);
  const template = isObject(spec.template) ? spec.template : {};
  const tmeta = isObject(template.metadata) ? template.metadata : {};
  const podSpec = structuredClone(isObject(template.spec) ? template.spec : {});
  const wanted = names ? Array.from({ length: replicas }, (_, i) => names(i)) : undefined;
  const extra = wanted ? owned.filter((p) => !wanted.includes(nameOf(p))) : owned.slice(replicas);
  for (const p of extra) ctx.api.delete(podType, ns, nameOf(p), {});
  const have = new Set(owned.map(nameOf));
  const missing = wanted
    ? wanted.filter((n) => !have.has(n))
    : Array.from({ length: Math.max(0, replicas - owned.length) }, () =>
      `${nameOf(owner)}-${shortHash(`${nameOf(owner)}${++podCounter}${Date.now()}`, 5)}`);
  for (const name of missing) {
    const pod = ctx.api.create(podType, ns, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name,
        namespace: ns,
        labels: { ...(isObject(tmeta.labels) ? tmeta.labels : {}) },
        annotations: isObject(tmeta.annotations) ? tmeta.annotations : undefined,
        ownerReferences: [ownerRef(rt, owner)],
      },
      spec: { ...podSpec, nodeName: "emulator-node" },
    }, { fieldManager: CONTROLLER_MANAGER });
    const containers = Array.isArray(specOf(pod).containers)
      ? specOf(pod).containers as JsonObject[]
      : [];
    ctx.writeStatus(podType, pod, podStatus(containers));
  }
}
