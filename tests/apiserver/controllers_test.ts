import assert from "node:assert/strict";
import { FAIL_ANNOTATION } from "./mod.ts";
import type { EmulatorClient } from "./testing/client.ts";
import { withEmulator } from "./testing/with_emulator.ts";
import { readUntil } from "./testing/watch.ts";

function withClient(
  fn: (c: EmulatorClient) => Promise<void>,
  rolloutDelayMs = 50,
): Promise<void> {
  return withEmulator({ rolloutDelayMs }, fn);
}

function deployment(name: string, annotations?: Record<string, string>) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, annotations },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "c", image: "nginx" }] },
      },
    },
  };
}

const DEPLOY = "/apis/apps/v1/namespaces/default/deployments";

function condition(
  o: { status?: { conditions?: { type: string; status: string; reason: string }[] } },
  type: string,
) {
  return o.status?.conditions?.find((x) => x.type === type);
}

Deno.test("a Deployment rolls out after the delay, and again after a spec change", async () => {
  await withClient(async (c) => {
    const watch = await fetch(
      `${c.server.url}${DEPLOY}?watch=true&resourceVersion=${c.server.store.resourceVersion}`,
      {
        headers: { authorization: `Bearer ${c.server.adminToken}` },
        client: c.http,
      },
    );
    await c.post(DEPLOY, deployment("web"));
    const events = await readUntil(watch, (e) => e.object.status?.availableReplicas === 2);
    const states = events.map((e) => e.object.status ?? {});
    const progressing = states.findIndex((s) =>
      s.observedGeneration === 1 && s.updatedReplicas === 0
    );
    assert.ok(progressing >= 0, "the rollout is first seen in progress");
    assert.equal(condition({ status: states[progressing] }, "Available"), undefined);
    assert.equal(
      condition({ status: states[progressing] }, "Progressing")?.reason,
      "ReplicaSetUpdated",
    );
    const ready = events[events.length - 1].object;
    assert.equal(ready.status.readyReplicas, 2);
    assert.equal(ready.status.updatedReplicas, 2);
    assert.equal(condition(ready, "Available")?.status, "True");
    assert.equal(condition(ready, "Progressing")?.reason, "NewReplicaSetAvailable");
    await c.patch(`${DEPLOY}/web`, { spec: { replicas: 4 } }, "application/merge-patch+json");
    const rolled = await c.eventually(async () => {
      const d = (await c.get(`${DEPLOY}/web`)).body;
      return d.status?.observedGeneration === 2 && d.status.availableReplicas === 4 ? d : undefined;
    });
    assert.equal(rolled.metadata.generation, 2);
  });
});

Deno.test("a Deployment marked to fail reports ProgressDeadlineExceeded", async () => {
  await withClient(async (c) => {
    await c.post(DEPLOY, deployment("bad", { [FAIL_ANNOTATION]: "true" }));
    const failed = await c.eventually(async () => {
      const d = (await c.get(`${DEPLOY}/bad`)).body;
      return condition(d, "Progressing")?.reason === "ProgressDeadlineExceeded" ? d : undefined;
    });
    assert.equal(condition(failed, "Progressing")?.status, "False");
    assert.equal(condition(failed, "Available")?.status, "False");
  });
});

Deno.test("StatefulSets and DaemonSets become ready; Jobs complete or fail", async () => {
  await withClient(async (c) => {
    const sts = deployment("db");
    await c.post("/apis/apps/v1/namespaces/default/statefulsets", {
      ...sts,
      kind: "StatefulSet",
      spec: { ...sts.spec, serviceName: "db" },
    });
    const ds = deployment("agent");
    await c.post("/apis/apps/v1/namespaces/default/daemonsets", {
      ...ds,
      kind: "DaemonSet",
      spec: { selector: ds.spec.selector, template: ds.spec.template },
    });
    const job = (name: string, annotations?: Record<string, string>) => ({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name, annotations },
      spec: {
        template: {
          spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] },
        },
      },
    });
    await c.post("/apis/batch/v1/namespaces/default/jobs", job("ok"));
    await c.post(
      "/apis/batch/v1/namespaces/default/jobs",
      job("ko", { [FAIL_ANNOTATION]: "true" }),
    );
    const s = await c.eventually(async () => {
      const o = (await c.get("/apis/apps/v1/namespaces/default/statefulsets/db")).body;
      return o.status?.readyReplicas === 2 ? o : undefined;
    });
    assert.equal(s.status.currentRevision, s.status.updateRevision);
    await c.eventually(async () => {
      const o = (await c.get("/apis/apps/v1/namespaces/default/daemonsets/agent")).body;
      return o.status?.numberReady === 1 && o.status.desiredNumberScheduled === 1 ? o : undefined;
    });
    const done = await c.eventually(async () => {
      const o = (await c.get("/apis/batch/v1/namespaces/default/jobs/ok")).body;
      return condition(o, "Complete") ? o : undefined;
    });
    assert.equal(done.status.succeeded, 1);
    const failed = await c.eventually(async () => {
      const o = (await c.get("/apis/batch/v1/namespaces/default/jobs/ko")).body;
      return condition(o, "Failed") ? o : undefined;
    });
    assert.equal(condition(failed, "Failed")?.reason, "BackoffLimitExceeded");
  });
});

Deno.test("PVCs bind and LoadBalancer Services get an ingress IP", async () => {
  await withClient(async (c) => {
    await c.post("/api/v1/namespaces/default/persistentvolumeclaims", {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "5Gi" } } },
    });
    await c.post("/api/v1/namespaces/default/services", {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "lb" },
      spec: { type: "LoadBalancer", ports: [{ port: 443 }] },
    });
    const pvc = await c.eventually(async () => {
      const o = (await c.get("/api/v1/namespaces/default/persistentvolumeclaims/data")).body;
      return o.status?.phase === "Bound" ? o : undefined;
    });
    assert.equal(pvc.status.capacity.storage, "5Gi");
    const svc = await c.eventually(async () => {
      const o = (await c.get("/api/v1/namespaces/default/services/lb")).body;
      return o.status?.loadBalancer?.ingress ? o : undefined;
    });
    assert.match(svc.status.loadBalancer.ingress[0].ip, /^172\.18\.255\.\d+$/);
    assert.ok(svc.spec.ports[0].nodePort >= 30000);
  });
});

const CRD = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.example.com" },
  spec: {
    group: "example.com",
    scope: "Namespaced",
    names: { plural: "widgets", singular: "widget", kind: "Widget", shortNames: ["wd"] },
    versions: [{
      name: "v1",
      served: true,
      storage: true,
      subresources: { status: {} },
      additionalPrinterColumns: [{ name: "Size", type: "integer", jsonPath: ".spec.size" }],
      schema: {
        openAPIV3Schema: {
          type: "object",
          properties: {
            spec: {
              type: "object",
              properties: {
                size: { type: "integer" },
                items: {
                  type: "array",
                  "x-kubernetes-list-type": "map",
                  "x-kubernetes-list-map-keys": ["id"],
                  items: {
                    type: "object",
                    properties: { id: { type: "string" }, v: { type: "string" } },
                  },
                },
                tags: { type: "array", items: { type: "string" } },
              },
            },
            status: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
          },
        },
      },
    }],
  },
};

Deno.test("a CRD becomes Established and serves its resources with schema-aware apply; deleting it removes them", async () => {
  await withClient(async (c) => {
    const created = await c.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", CRD);
    assert.equal(created.status, 201);
    const established = await c.eventually(async () => {
      const o =
        (await c.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com"))
          .body;
      return condition(o, "Established")?.status === "True" ? o : undefined;
    });
    assert.equal(established.status.acceptedNames.kind, "Widget");
    const disco = await c.get("/apis/example.com/v1");
    assert.deepEqual(disco.body.resources.map((r: { name: string }) => r.name), [
      "widgets",
      "widgets/status",
    ]);
    const W = "/apis/example.com/v1/namespaces/default/widgets";
    await c.apply(`${W}/w1`, {
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w1" },
      spec: { size: 1, items: [{ id: "a", v: "1" }], tags: ["x"] },
    }, "one");
    const merged = await c.apply(`${W}/w1`, {
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w1" },
      spec: { items: [{ id: "b", v: "2" }] },
    }, "two");
    assert.deepEqual(
      merged.body.spec.items,
      [{ id: "a", v: "1" }, { id: "b", v: "2" }],
      "list-map from the CRD schema",
    );
    const atomic = await c.apply(`${W}/w1`, {
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w1" },
      spec: { tags: ["y"] },
    }, "two");
    assert.equal(atomic.status, 409, "lists without a list type are atomic");
    assert.equal(merged.body.metadata.generation, 2);
    const table = await c.get(W, {
      headers: { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" },
    });
    assert.deepEqual(table.body.columnDefinitions.map((d: { name: string }) => d.name), [
      "Name",
      "Size",
      "Age",
    ]);
    assert.deepEqual(table.body.rows[0].cells.slice(0, 2), ["w1", 1]);
    const smp = await c.patch(
      `${W}/w1`,
      { spec: { size: 2 } },
      "application/strategic-merge-patch+json",
    );
    assert.equal(smp.status, 415);
    const v3 = await c.get("/openapi/v3/apis/example.com/v1");
    assert.ok(v3.body.components.schemas["com.example.v1.Widget"]);

    await c.delete("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com");
    await c.eventually(async () =>
      (await c.get("/apis/example.com/v1")).status === 404 ? true : undefined
    );
    await c.eventually(async () =>
      (await c.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com"))
          .status === 404
        ? true
        : undefined
    );
  });
});

Deno.test("custom resources are defaulted and validated by the CRD schema", async () => {
  await withClient(async (c) => {
    const crd = structuredClone(CRD) as typeof CRD;
    crd.metadata.name = "gadgets.example.com";
    crd.spec.names = { plural: "gadgets", singular: "gadget", kind: "Gadget", shortNames: [] };
    const spec = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec as Record<
      string,
      unknown
    >;
    spec.required = ["mode"];
    spec.properties = {
      size: { type: "integer", minimum: 1, default: 1 },
      mode: { type: "string", enum: ["fast", "slow"] },
      name: { type: "string", pattern: "^[a-z]+$", maxLength: 5 },
      port: { "x-kubernetes-int-or-string": true },
    };
    await c.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
    const G = "/apis/example.com/v1/namespaces/default/gadgets";
    await c.eventually(async () => (await c.get(G)).status === 200 ? true : undefined);
    const ok = await c.post(G, {
      apiVersion: "example.com/v1",
      kind: "Gadget",
      metadata: { name: "g" },
      spec: { mode: "fast", port: "http" },
    });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.spec.size, 1, "defaulted");
    const bad = await c.post(G, {
      apiVersion: "example.com/v1",
      kind: "Gadget",
      metadata: { name: "h" },
      spec: { size: 0, mode: "medium", name: "Too-Long", port: 1.5 },
    });
    assert.equal(bad.status, 422);
    const messages = bad.body.details.causes.map((x: { field: string; message: string }) =>
      `${x.field}: ${x.message}`
    );
    assert.deepEqual(messages, [
      "spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1",
      'spec.mode: Unsupported value: "medium": supported values: "fast", "slow"',
      "spec.name: Too long: may not be more than 5 bytes",
      `spec.name: Invalid value: "Too-Long": spec.name in body should match '^[a-z]+$'`,
      'spec.port: Invalid value: 1.5: spec.port in body must be of type integer or string: "number"',
    ]);
    const missing = await c.post(G, {
      apiVersion: "example.com/v1",
      kind: "Gadget",
      metadata: { name: "i" },
      spec: {},
    });
    assert.equal(missing.body.details.causes[0].field, "spec.mode");
    assert.match(
      missing.body.message,
      /^Gadget\.example\.com "i" is invalid: spec\.mode: Required value$/,
    );
  });
});

Deno.test("workloads get ReplicaSets and Ready Pods; a new template is a new revision; deletion cascades", async () => {
  await withClient(async (c) => {
    await c.post(DEPLOY, deployment("web"));
    const pods = async (selector: string) =>
      (await c.get(`/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent(selector)}`))
        .body.items;
    const first = await c.eventually(async () => {
      const p = await pods("app=web");
      return p.length === 2 &&
          p.every((x: { status?: { phase?: string } }) => x.status?.phase === "Running")
        ? p
        : undefined;
    });
    const rsName = first[0].metadata.ownerReferences[0].name;
    const rs = (await c.get(`/apis/apps/v1/namespaces/default/replicasets/${rsName}`)).body;
    assert.equal(rs.metadata.annotations["deployment.kubernetes.io/revision"], "1");
    assert.equal(rs.metadata.ownerReferences[0].kind, "Deployment");
    assert.equal(
      rs.spec.selector.matchLabels["pod-template-hash"],
      rs.metadata.labels["pod-template-hash"],
    );
    assert.ok(
      first[0].status.conditions.some((x: { type: string; status: string }) =>
        x.type === "Ready" && x.status === "True"
      ),
    );
    assert.equal(first[0].spec.nodeName, "emulator-node");

    await c.patch(`${DEPLOY}/web`, {
      spec: { template: { spec: { containers: [{ name: "c", image: "nginx:2" }] } } },
    }, "application/strategic-merge-patch+json");
    const second = await c.eventually(async () => {
      const p = await pods("app=web");
      return p.length === 2 &&
          p.every((x: { spec: { containers: { image: string }[] } }) =>
            x.spec.containers[0].image === "nginx:2"
          )
        ? p
        : undefined;
    });
    const newRs = (await c.get(
      `/apis/apps/v1/namespaces/default/replicasets/${second[0].metadata.ownerReferences[0].name}`,
    )).body;
    assert.equal(newRs.metadata.annotations["deployment.kubernetes.io/revision"], "2");
    assert.equal(
      (await c.get(`/apis/apps/v1/namespaces/default/replicasets/${rsName}`)).body.spec.replicas,
      0,
    );

    const sts = deployment("db");
    await c.post("/apis/apps/v1/namespaces/default/statefulsets", {
      ...sts,
      kind: "StatefulSet",
      spec: { ...sts.spec, serviceName: "db" },
    });
    const ordinals = await c.eventually(async () => {
      const p = await pods("app=db");
      return p.length === 2
        ? p.map((x: { metadata: { name: string } }) => x.metadata.name).sort()
        : undefined;
    });
    assert.deepEqual(ordinals, ["db-0", "db-1"]);

    await c.delete(`${DEPLOY}/web`);
    await c.eventually(async () => (await pods("app=web")).length === 0 ? true : undefined);
    const left = (await c.get("/apis/apps/v1/namespaces/default/replicasets")).body.items;
    assert.equal(left.length, 0, "the garbage collector removed the ReplicaSets");
  });
});
