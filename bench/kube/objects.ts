// The benchmark's input: 1,000 objects of mixed kinds, as a Kustomization might render them —
// namespaces, ConfigMaps, Deployments, Services, a CRD and instances of it.
import type { KubeObject } from "../../lib/kube/mod.ts";

export const CRD_GROUP = "bench.skiff.dev";

export function crd(): KubeObject {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `widgets.${CRD_GROUP}` },
    spec: {
      group: CRD_GROUP,
      scope: "Namespaced",
      names: { plural: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList" },
      versions: [{
        name: "v1",
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: {
                type: "object",
                properties: { size: { type: "integer" }, color: { type: "string" } },
              },
            },
          },
        },
      }],
    },
  };
}

/** `count` objects (default 1,000) spread over `namespaces` namespaces; `revision` varies data. */
export function benchObjects(
  count = 1000,
  namespaces = 4,
  changed = new Set<number>(),
): KubeObject[] {
  const out: KubeObject[] = [crd()];
  const nsNames = Array.from({ length: namespaces }, (_, i) => `bench-${i}`);
  for (const ns of nsNames) {
    out.push({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  }
  let i = 0;
  while (out.length < count) {
    const ns = nsNames[i % namespaces];
    const rev = changed.has(i) ? "2" : "1";
    const name = `app-${i}`;
    switch (i % 10) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4:
        out.push({
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name, namespace: ns, labels: { app: name } },
          data: { "config.yaml": `revision: ${rev}\nindex: ${i}\n`, mode: "production" },
        });
        break;
      case 5:
      case 6:
        out.push(deployment(name, ns, rev));
        break;
      case 7:
      case 8:
        out.push({
          apiVersion: "v1",
          kind: "Service",
          metadata: {
            name,
            namespace: ns,
            labels: { app: name },
            annotations: { "bench/revision": rev },
          },
          spec: { selector: { app: name }, ports: [{ name: "http", port: 80, targetPort: 8080 }] },
        });
        break;
      default:
        out.push({
          apiVersion: `${CRD_GROUP}/v1`,
          kind: "Widget",
          metadata: { name, namespace: ns },
          spec: { size: i, color: rev === "1" ? "blue" : "red" },
        });
    }
    i++;
  }
  return out;
}

function deployment(name: string, namespace: string, rev: string): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{
            name: "app",
            image: `registry.example/app:${rev}.0.0`,
            ports: [{ containerPort: 8080 }],
            env: [{ name: "MODE", value: "production" }],
            resources: { requests: { cpu: "10m", memory: "16Mi" } },
          }],
        },
      },
    },
  };
}

/** Indexes (into the generator's sequence) of `n` objects to change, spread over the kinds. */
export function changedIndexes(n: number): Set<number> {
  return new Set(Array.from({ length: n }, (_, k) => k * 37 + 3));
}
