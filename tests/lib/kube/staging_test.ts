import assert from "node:assert/strict";
import { type KubeObject, stageObjects } from "../../../lib/kube/mod.ts";

const o = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, namespace },
});

Deno.test("definitions first, then classes, then the rest in kind order, namespace and name", () => {
  const stages = stageObjects([
    o("apps/v1", "Deployment", "web", "b"),
    o("example.com/v1", "Widget", "w", "a"),
    o("v1", "ConfigMap", "cfg", "b"),
    o("v1", "ConfigMap", "cfg", "a"),
    o("storage.k8s.io/v1", "StorageClass", "fast"),
    o("v1", "Namespace", "b"),
    o("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com"),
    o("rbac.authorization.k8s.io/v1", "ClusterRole", "view-widgets"),
    o("v1", "Namespace", "a"),
    o("v1", "Service", "web", "b"),
  ]);
  assert.deepEqual(
    stages.map((
      s,
    ) => [
      s.stage,
      s.objects.map((x) => `${x.kind}/${x.metadata.namespace ?? ""}/${x.metadata.name}`),
    ]),
    [
      ["definitions", [
        "CustomResourceDefinition//widgets.example.com",
        "Namespace//a",
        "Namespace//b",
        "ClusterRole//view-widgets",
      ]],
      ["classes", ["StorageClass//fast"]],
      ["resources", [
        "ConfigMap/a/cfg",
        "ConfigMap/b/cfg",
        "Service/b/web",
        "Deployment/b/web",
        "Widget/a/w",
      ]],
    ],
  );
});
