// Defaulting of common fields, as the real API server's defaulters do it for built-ins.
import { isObject, type JsonObject } from "../ssa/typed.ts";

export interface DefaultingContext {
  /** Allocates a free ClusterIP for a Service. */
  allocateClusterIP(): string;
  allocateNodePort(): number;
}

function obj(parent: JsonObject, key: string): JsonObject {
  if (!isObject(parent[key])) parent[key] = {};
  return parent[key] as JsonObject;
}

function setDefault(o: JsonObject, key: string, value: JsonObject[string]): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

function defaultContainer(c: JsonObject): void {
  setDefault(c, "terminationMessagePath", "/dev/termination-log");
  setDefault(c, "terminationMessagePolicy", "File");
  const image = String(c.image ?? "");
  const tagged = /:[^/]+$/.test(image) && !image.endsWith(":latest");
  setDefault(c, "imagePullPolicy", tagged || image.includes("@") ? "IfNotPresent" : "Always");
  if (Array.isArray(c.ports)) {
    for (const p of c.ports) if (isObject(p)) setDefault(p, "protocol", "TCP");
  }
}

export function defaultPodSpec(spec: JsonObject): void {
  setDefault(spec, "restartPolicy", "Always");
  setDefault(spec, "terminationGracePeriodSeconds", 30);
  setDefault(spec, "dnsPolicy", "ClusterFirst");
  setDefault(spec, "schedulerName", "default-scheduler");
  setDefault(spec, "securityContext", {});
  for (const list of ["containers", "initContainers"]) {
    const cs = spec[list];
    if (Array.isArray(cs)) { for (const c of cs) if (isObject(c)) defaultContainer(c); }
  }
}

function defaultTemplate(spec: JsonObject): void {
  const template = obj(spec, "template");
  defaultPodSpec(obj(template, "spec"));
}

/** Fills in defaults in place for the kinds that have them. */
export function applyDefaults(
  kind: string,
  group: string,
  o: JsonObject,
  ctx: DefaultingContext,
): void {
  const spec = isObject(o.spec) ? o.spec : undefined;
  switch (`${group}/${kind}`) {
    case "apps/Deployment": {
      const s = obj(o, "spec");
      setDefault(s, "replicas", 1);
      setDefault(s, "revisionHistoryLimit", 10);
      setDefault(s, "progressDeadlineSeconds", 600);
      const strategy = obj(s, "strategy");
      setDefault(strategy, "type", "RollingUpdate");
      if (strategy.type === "RollingUpdate") {
        const ru = obj(strategy, "rollingUpdate");
        setDefault(ru, "maxUnavailable", "25%");
        setDefault(ru, "maxSurge", "25%");
      }
      defaultTemplate(s);
      break;
    }
    case "apps/StatefulSet": {
      const s = obj(o, "spec");
      setDefault(s, "replicas", 1);
      setDefault(s, "revisionHistoryLimit", 10);
      setDefault(s, "podManagementPolicy", "OrderedReady");
      const us = obj(s, "updateStrategy");
      setDefault(us, "type", "RollingUpdate");
      if (us.type === "RollingUpdate") setDefault(obj(us, "rollingUpdate"), "partition", 0);
      setDefault(s, "persistentVolumeClaimRetentionPolicy", {
        whenDeleted: "Retain",
        whenScaled: "Retain",
      });
      defaultTemplate(s);
      break;
    }
    case "apps/DaemonSet": {
      const s = obj(o, "spec");
      setDefault(s, "revisionHistoryLimit", 10);
      const us = obj(s, "updateStrategy");
      setDefault(us, "type", "RollingUpdate");
      if (us.type === "RollingUpdate") {
        const ru = obj(us, "rollingUpdate");
        setDefault(ru, "maxUnavailable", 1);
        setDefault(ru, "maxSurge", 0);
      }
      defaultTemplate(s);
      break;
    }
    case "apps/ReplicaSet": {
      const s = obj(o, "spec");
      setDefault(s, "replicas", 1);
      defaultTemplate(s);
      break;
    }
    case "batch/Job": {
      const s = obj(o, "spec");
      setDefault(s, "parallelism", 1);
      setDefault(s, "completions", 1);
      setDefault(s, "backoffLimit", 6);
      setDefault(s, "completionMode", "NonIndexed");
      setDefault(s, "suspend", false);
      defaultTemplate(s);
      break;
    }
    case "/Pod":
      defaultPodSpec(obj(o, "spec"));
      break;
    case "/Service":
      defaultService(obj(o, "spec"), ctx);
      break;
    case "/Secret":
      setDefault(o, "type", "Opaque");
      break;
    case "/Namespace": {
      const meta = obj(o, "metadata");
      const labels = obj(meta, "labels");
      labels["kubernetes.io/metadata.name"] = String(meta.name);
      setDefault(obj(o, "spec"), "finalizers", ["kubernetes"]);
      break;
    }
    case "/PersistentVolumeClaim":
      setDefault(obj(o, "spec"), "volumeMode", "Filesystem");
      break;
    case "/ServiceAccount":
    case "/ConfigMap":
    default:
      void spec;
  }
}

function defaultService(s: JsonObject, ctx: DefaultingContext): void {
  setDefault(s, "type", "ClusterIP");
  setDefault(s, "sessionAffinity", "None");
  if (s.type !== "ExternalName") {
    setDefault(s, "internalTrafficPolicy", "Cluster");
    if (s.clusterIP === undefined || s.clusterIP === "") s.clusterIP = ctx.allocateClusterIP();
    setDefault(s, "clusterIPs", [s.clusterIP]);
    setDefault(s, "ipFamilies", ["IPv4"]);
    setDefault(s, "ipFamilyPolicy", "SingleStack");
  }
  const withNodePorts = s.type === "NodePort" || s.type === "LoadBalancer";
  if (withNodePorts) setDefault(s, "externalTrafficPolicy", "Cluster");
  if (s.type === "LoadBalancer") setDefault(s, "allocateLoadBalancerNodePorts", true);
  if (Array.isArray(s.ports)) {
    for (const p of s.ports) {
      if (!isObject(p)) continue;
      setDefault(p, "protocol", "TCP");
      setDefault(p, "targetPort", p.port);
      if (withNodePorts) setDefault(p, "nodePort", ctx.allocateNodePort());
    }
  }
}
