// Output order. "legacy" is kustomize's default: by kind in a fixed order (namespaces and
// cluster-wide setup first, webhooks last, other kinds in between), then by group/version/kind,
// namespace and name. "fifo" keeps the order of accumulation (what Flux applies).
import { type Resource } from "./resource.ts";

export const LEGACY_ORDER_FIRST = [
  "Namespace",
  "ResourceQuota",
  "StorageClass",
  "CustomResourceDefinition",
  "ServiceAccount",
  "PodSecurityPolicy",
  "Role",
  "ClusterRole",
  "RoleBinding",
  "ClusterRoleBinding",
  "ConfigMap",
  "Secret",
  "Endpoints",
  "Service",
  "LimitRange",
  "PriorityClass",
  "PersistentVolume",
  "PersistentVolumeClaim",
  "Deployment",
  "StatefulSet",
  "CronJob",
  "PodDisruptionBudget",
];

export const LEGACY_ORDER_LAST = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

function gvkString(r: Resource): string {
  const { group, version, kind } = r.gvk;
  return `${group || "~G"}_${version || "~V"}_${kind || "~K"}`;
}

function idString(r: Resource): string {
  return `${gvkString(r)}|${r.namespace || "~X"}|${r.name || "~N"}`;
}

export function legacySort(
  resources: Resource[],
  orderFirst: string[] = LEGACY_ORDER_FIRST,
  orderLast: string[] = LEGACY_ORDER_LAST,
): Resource[] {
  const rank = new Map<string, number>();
  orderFirst.forEach((k, i) => rank.set(k, i - orderFirst.length));
  orderLast.forEach((k, i) => rank.set(k, i + 1));
  const keyed = resources.map((r, i) => ({
    r,
    i,
    rank: rank.get(r.kind) ?? 0,
    gvk: gvkString(r),
    id: idString(r),
  }));
  keyed.sort((a, b) => {
    if (a.gvk !== b.gvk) {
      if (a.rank !== b.rank) return a.rank - b.rank;
      return a.gvk < b.gvk ? -1 : 1;
    }
    if (a.id !== b.id) return a.id < b.id ? -1 : 1;
    return a.i - b.i;
  });
  return keyed.map((k) => k.r);
}
