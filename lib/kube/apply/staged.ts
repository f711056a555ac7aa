// The order objects are applied in. Stage by stage as Flux does: cluster definitions first
// (CRDs, Namespaces, ClusterRoles), which must be usable before anything refers to them; then
// classes (StorageClass, IngressClass...); then everything else. Within a stage the order is
// the well-known kind order (Helm's install order), then namespace and name, so runs are stable.
import { type KubeObject, parseApiVersion } from "../types.ts";

export type Stage = "definitions" | "classes" | "resources";
export const STAGES: Stage[] = ["definitions", "classes", "resources"];

const DEFINITION_KINDS = new Set([
  "apiextensions.k8s.io/CustomResourceDefinition",
  "/Namespace",
  "rbac.authorization.k8s.io/ClusterRole",
]);

export function stageOf(obj: KubeObject): Stage {
  const { group } = parseApiVersion(obj.apiVersion);
  if (DEFINITION_KINDS.has(`${group}/${obj.kind}`)) return "definitions";
  if (obj.kind.endsWith("Class")) return "classes";
  return "resources";
}

const KIND_ORDER = [
  "CustomResourceDefinition",
  "Namespace",
  "ResourceQuota",
  "LimitRange",
  "PodSecurityPolicy",
  "PodDisruptionBudget",
  "ServiceAccount",
  "Secret",
  "ConfigMap",
  "StorageClass",
  "PersistentVolume",
  "PersistentVolumeClaim",
  "ClusterRole",
  "ClusterRoleBinding",
  "Role",
  "RoleBinding",
  "Service",
  "DaemonSet",
  "Pod",
  "ReplicationController",
  "ReplicaSet",
  "Deployment",
  "HorizontalPodAutoscaler",
  "StatefulSet",
  "Job",
  "CronJob",
  "IngressClass",
  "Ingress",
  "APIService",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
];
const KIND_RANK = new Map(KIND_ORDER.map((k, i) => [k, i]));

/** Compares two objects for apply order: kind rank, then kind, namespace, name. */
export function applyOrder(a: KubeObject, b: KubeObject): number {
  const ra = KIND_RANK.get(a.kind) ?? KIND_ORDER.length;
  const rb = KIND_RANK.get(b.kind) ?? KIND_ORDER.length;
  return ra - rb || cmp(a.kind, b.kind) ||
    cmp(a.metadata.namespace ?? "", b.metadata.namespace ?? "") ||
    cmp(a.metadata.name ?? "", b.metadata.name ?? "");
}

/** Splits objects into stages, each in apply order. Empty stages are left out. */
export function stageObjects(objects: KubeObject[]): { stage: Stage; objects: KubeObject[] }[] {
  return STAGES.map((stage) => ({
    stage,
    objects: objects.filter((o) => stageOf(o) === stage).sort(applyOrder),
  })).filter((s) => s.objects.length > 0);
}

/** Prune order: the reverse of apply order, so namespaces and CRDs go last. */
export function pruneOrder<T extends { kind: string; namespace: string; name: string }>(
  a: T,
  b: T,
): number {
  const rank = (x: T) => x.kind === "CustomResourceDefinition" ? 2 : x.kind === "Namespace" ? 1 : 0;
  return rank(a) - rank(b) || cmp(a.kind, b.kind) || cmp(a.namespace, b.namespace) ||
    cmp(a.name, b.name);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
