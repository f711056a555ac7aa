// The RBAC objects a fresh cluster has: cluster-admin for system:masters, discovery and
// self-review access for every authenticated user, and the aggregated admin/edit/view roles.
import type { JsonObject } from "../ssa/typed.ts";

function clusterRole(name: string, rules: JsonObject[], extra: JsonObject = {}): JsonObject {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name, labels: { "kubernetes.io/bootstrapping": "rbac-defaults" } },
    rules,
    ...extra,
  };
}

function clusterRoleBinding(name: string, role: string, group: string): JsonObject {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name, labels: { "kubernetes.io/bootstrapping": "rbac-defaults" } },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: group }],
  };
}

const READ = ["get", "list", "watch"];
const WRITE = ["create", "delete", "deletecollection", "patch", "update"];

function aggregated(name: string, label: string): JsonObject {
  return clusterRole(name, [], {
    aggregationRule: {
      clusterRoleSelectors: [{ matchLabels: { [`rbac.authorization.k8s.io/${label}`]: "true" } }],
    },
  });
}

function aggregateTo(name: string, target: string, rules: JsonObject[]): JsonObject {
  const r = clusterRole(name, rules);
  (r.metadata as { labels: Record<string, string> }).labels[
    `rbac.authorization.k8s.io/${target}`
  ] = "true";
  return r;
}

const WORKLOADS = [
  {
    apiGroups: [""],
    resources: [
      "pods",
      "services",
      "configmaps",
      "endpoints",
      "persistentvolumeclaims",
      "serviceaccounts",
      "events",
      "replicationcontrollers",
    ],
  },
  {
    apiGroups: ["apps"],
    resources: [
      "deployments",
      "statefulsets",
      "daemonsets",
      "replicasets",
      "deployments/scale",
      "statefulsets/scale",
      "replicasets/scale",
    ],
  },
  { apiGroups: ["batch"], resources: ["jobs", "cronjobs"] },
  { apiGroups: ["networking.k8s.io"], resources: ["ingresses", "networkpolicies"] },
  { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"] },
  { apiGroups: ["policy"], resources: ["poddisruptionbudgets"] },
];

export function bootstrapRbac(): JsonObject[] {
  return [
    clusterRole("cluster-admin", [
      { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
      { nonResourceURLs: ["*"], verbs: ["*"] },
    ]),
    clusterRoleBinding("cluster-admin", "cluster-admin", "system:masters"),
    clusterRole("system:discovery", [{
      nonResourceURLs: [
        "/api",
        "/api/*",
        "/apis",
        "/apis/*",
        "/healthz",
        "/livez",
        "/openapi",
        "/openapi/*",
        "/readyz",
        "/version",
        "/version/",
      ],
      verbs: ["get"],
    }]),
    clusterRoleBinding("system:discovery", "system:discovery", "system:authenticated"),
    clusterRole("system:basic-user", [{
      apiGroups: ["authorization.k8s.io"],
      resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
      verbs: ["create"],
    }, {
      apiGroups: ["authentication.k8s.io"],
      resources: ["selfsubjectreviews"],
      verbs: ["create"],
    }]),
    clusterRoleBinding("system:basic-user", "system:basic-user", "system:authenticated"),
    aggregated("admin", "aggregate-to-admin"),
    aggregated("edit", "aggregate-to-edit"),
    aggregated("view", "aggregate-to-view"),
    aggregateTo(
      "system:aggregate-to-view",
      "aggregate-to-view",
      WORKLOADS.map((r) => ({ ...r, verbs: READ })),
    ),
    aggregateTo("system:aggregate-to-edit", "aggregate-to-edit", [
      ...WORKLOADS.map((r) => ({ ...r, verbs: [...READ, ...WRITE] })),
      { apiGroups: [""], resources: ["secrets"], verbs: [...READ, ...WRITE] },
    ]),
    aggregateTo("system:aggregate-to-admin", "aggregate-to-admin", [
      {
        apiGroups: ["rbac.authorization.k8s.io"],
        resources: ["roles", "rolebindings"],
        verbs: [...READ, ...WRITE],
      },
      {
        apiGroups: ["authorization.k8s.io"],
        resources: ["localsubjectaccessreviews"],
        verbs: ["create"],
      },
    ]),
  ];
}
