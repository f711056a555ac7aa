// The server-side apply examples of the Kubernetes documentation ("Server-Side Apply"), with the
// exact objects and managedFields the real server gives.
import assert from "node:assert/strict";
import type { EmulatorClient } from "../testing/client.ts";
import { withEmulator } from "../testing/with_emulator.ts";

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  fieldsV1: unknown;
  subresource?: string;
}

function managed(
  o: { metadata: { managedFields?: (Entry & { time?: string; fieldsType?: string })[] } },
) {
  return (o.metadata.managedFields ?? []).map((e) => {
    assert.match(e.time ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(e.fieldsType, "FieldsV1");
    const out: Entry = {
      manager: e.manager,
      operation: e.operation,
      apiVersion: e.apiVersion,
      fieldsV1: e.fieldsV1,
    };
    if (e.subresource) out.subresource = e.subresource;
    return out;
  });
}

function withClient(fn: (c: EmulatorClient) => Promise<void>): Promise<void> {
  return withEmulator({ rolloutDelayMs: 10_000 }, fn);
}

const CM = "/api/v1/namespaces/default/configmaps";
const DEPLOY = "/apis/apps/v1/namespaces/default/deployments";

Deno.test("apply records the applier's fields (the documented test-cm example)", async () => {
  await withClient(async (c) => {
    const r = await c.apply(`${CM}/test-cm`, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "test-cm", namespace: "default", labels: { "test-label": "test" } },
      data: { key: "some value" },
    }, "kubectl");
    assert.equal(r.status, 201);
    assert.deepEqual(r.body.data, { key: "some value" });
    assert.deepEqual(managed(r.body), [{
      manager: "kubectl",
      operation: "Apply",
      apiVersion: "v1",
      fieldsV1: { "f:data": { "f:key": {} }, "f:metadata": { "f:labels": { "f:test-label": {} } } },
    }]);
    const again = await c.apply(`${CM}/test-cm`, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "test-cm", labels: { "test-label": "test" } },
      data: { key: "some value" },
    }, "kubectl");
    assert.equal(again.status, 200);
    assert.equal(
      again.body.metadata.resourceVersion,
      r.body.metadata.resourceVersion,
      "a no-op apply changes nothing",
    );
  });
});

Deno.test("a second manager changing an owned field conflicts; force takes ownership", async () => {
  await withClient(async (c) => {
    const base = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" } };
    await c.apply(`${CM}/cm`, { ...base, data: { a: "1", b: "1" } }, "alice");
    const conflict = await c.apply(`${CM}/cm`, { ...base, data: { a: "2", b: "2" } }, "bob");
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.reason, "Conflict");
    assert.equal(
      conflict.body.message,
      'Apply failed with 2 conflicts: conflicts with "alice":\n- .data.a\n- .data.b',
    );
    assert.deepEqual(conflict.body.details.causes, [
      { reason: "FieldManagerConflict", message: 'conflict with "alice"', field: ".data.a" },
      { reason: "FieldManagerConflict", message: 'conflict with "alice"', field: ".data.b" },
    ]);
    const same = await c.apply(`${CM}/cm`, { ...base, data: { a: "1" } }, "carol");
    assert.equal(same.status, 200, "applying the same value shares ownership");
    const forced = await c.apply(`${CM}/cm`, { ...base, data: { a: "2" } }, "bob", true);
    assert.equal(forced.status, 200);
    assert.deepEqual(forced.body.data, { a: "2", b: "1" });
    assert.deepEqual(managed(forced.body), [
      {
        manager: "alice",
        operation: "Apply",
        apiVersion: "v1",
        fieldsV1: { "f:data": { "f:b": {} } },
      },
      {
        manager: "bob",
        operation: "Apply",
        apiVersion: "v1",
        fieldsV1: { "f:data": { "f:a": {} } },
      },
    ]);
  });
});

Deno.test("an update takes ownership from appliers and their next apply conflicts", async () => {
  await withClient(async (c) => {
    const base = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" } };
    await c.apply(`${CM}/cm`, { ...base, data: { a: "1" } }, "alice");
    await c.patch(
      `${CM}/cm?fieldManager=editor`,
      { data: { a: "9" } },
      "application/merge-patch+json",
    );
    const r = await c.get(`${CM}/cm`);
    assert.deepEqual(managed(r.body), [
      {
        manager: "editor",
        operation: "Update",
        apiVersion: "v1",
        fieldsV1: { "f:data": { "f:a": {} } },
      },
    ]);
    const again = await c.apply(`${CM}/cm`, { ...base, data: { a: "1" } }, "alice");
    assert.equal(again.status, 409);
    assert.equal(
      again.body.message,
      'Apply failed with 1 conflict: conflict with "editor" using v1: .data.a',
    );
  });
});

Deno.test("fields an applier stops applying are removed unless someone else owns them", async () => {
  await withClient(async (c) => {
    const base = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" } };
    await c.apply(`${CM}/cm`, {
      ...base,
      metadata: { name: "cm", labels: { a: "1", b: "1" } },
      data: { x: "1", y: "1" },
    }, "alice");
    await c.apply(`${CM}/cm`, { ...base, data: { y: "1" } }, "bob");
    const r = await c.apply(`${CM}/cm`, {
      ...base,
      metadata: { name: "cm", labels: { a: "1" } },
      data: { x: "1" },
    }, "alice");
    assert.deepEqual(r.body.metadata.labels, { a: "1" });
    assert.deepEqual(r.body.data, { x: "1", y: "1" }, "y stays: bob owns it too");
    const r2 = await c.apply(`${CM}/cm`, { ...base }, "bob");
    assert.deepEqual(r2.body.data, { x: "1" });
    assert.deepEqual(managed(r2.body), [{
      manager: "alice",
      operation: "Apply",
      apiVersion: "v1",
      fieldsV1: { "f:data": { "f:x": {} }, "f:metadata": { "f:labels": { "f:a": {} } } },
    }]);
  });
});

function deployment(containers: unknown[], extra: Record<string, unknown> = {}) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web" },
    spec: {
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers } },
      ...extra,
    },
  };
}

Deno.test("list-map merging: two managers own different containers, ports and env entries", async () => {
  await withClient(async (c) => {
    await c.apply(
      `${DEPLOY}/web`,
      deployment([
        {
          name: "app",
          image: "app:1",
          ports: [{ containerPort: 80 }],
          env: [{ name: "A", value: "1" }],
        },
      ], { replicas: 2 }),
      "team-a",
    );
    const r = await c.apply(
      `${DEPLOY}/web`,
      deployment([
        {
          name: "app",
          ports: [{ containerPort: 9090, protocol: "UDP" }],
          env: [{ name: "B", value: "2" }],
        },
        { name: "sidecar", image: "sidecar:1" },
      ]),
      "team-b",
    );
    assert.equal(r.status, 200);
    const cs = r.body.spec.template.spec.containers;
    assert.deepEqual(cs.map((x: { name: string }) => x.name), ["app", "sidecar"]);
    assert.deepEqual(cs[0].ports, [{ containerPort: 80, protocol: "TCP" }, {
      containerPort: 9090,
      protocol: "UDP",
    }]);
    assert.deepEqual(cs[0].env, [{ name: "A", value: "1" }, { name: "B", value: "2" }]);
    assert.equal(r.body.spec.replicas, 2);
    const [a, b] = managed(r.body);
    assert.deepEqual(a, {
      manager: "team-a",
      operation: "Apply",
      apiVersion: "apps/v1",
      fieldsV1: {
        "f:spec": {
          "f:replicas": {},
          "f:selector": {},
          "f:template": {
            "f:metadata": { "f:labels": { "f:app": {} } },
            "f:spec": {
              "f:containers": {
                'k:{"name":"app"}': {
                  ".": {},
                  "f:env": { 'k:{"name":"A"}': { ".": {}, "f:name": {}, "f:value": {} } },
                  "f:image": {},
                  "f:name": {},
                  "f:ports": {
                    'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {} },
                  },
                },
              },
            },
          },
        },
      },
    });
    assert.deepEqual(b.fieldsV1, {
      "f:spec": {
        "f:selector": {},
        "f:template": {
          "f:metadata": { "f:labels": { "f:app": {} } },
          "f:spec": {
            "f:containers": {
              'k:{"name":"app"}': {
                ".": {},
                "f:env": { 'k:{"name":"B"}': { ".": {}, "f:name": {}, "f:value": {} } },
                "f:name": {},
                "f:ports": {
                  'k:{"containerPort":9090,"protocol":"UDP"}': {
                    ".": {},
                    "f:containerPort": {},
                    "f:protocol": {},
                  },
                },
              },
              'k:{"name":"sidecar"}': { ".": {}, "f:image": {}, "f:name": {} },
            },
          },
        },
      },
    });
    const dropped = await c.apply(`${DEPLOY}/web`, deployment([{ name: "app" }]), "team-b");
    const names = dropped.body.spec.template.spec.containers.map((x: { name: string }) => x.name);
    assert.deepEqual(names, ["app"], "the sidecar only team-b owned is removed");
    assert.deepEqual(dropped.body.spec.template.spec.containers[0].env, [{
      name: "A",
      value: "1",
    }]);
  });
});

Deno.test("atomic lists are replaced whole and conflict as one field", async () => {
  await withClient(async (c) => {
    await c.apply(
      `${DEPLOY}/web`,
      deployment([{ name: "app", image: "a", args: ["--x"] }]),
      "team-a",
    );
    const r = await c.apply(
      `${DEPLOY}/web`,
      deployment([{ name: "app", args: ["--y"] }]),
      "team-b",
    );
    assert.equal(r.status, 409);
    assert.equal(
      r.body.message,
      'Apply failed with 1 conflict: conflict with "team-a": .spec.template.spec.containers[name="app"].args',
    );
  });
});

Deno.test("set lists merge by value (finalizers)", async () => {
  await withClient(async (c) => {
    const base = { apiVersion: "v1", kind: "ConfigMap" };
    await c.apply(`${CM}/cm`, { ...base, metadata: { name: "cm", finalizers: ["a/one"] } }, "m1");
    const r = await c.apply(`${CM}/cm`, {
      ...base,
      metadata: { name: "cm", finalizers: ["b/two"] },
    }, "m2");
    assert.deepEqual(r.body.metadata.finalizers, ["a/one", "b/two"]);
    assert.deepEqual(managed(r.body)[1].fieldsV1, {
      "f:metadata": { "f:finalizers": { 'v:"b/two"': {} } },
    });
  });
});

Deno.test("transferring ownership of replicas to another manager (documented HPA hand-over)", async () => {
  await withClient(async (c) => {
    const full = deployment([{ name: "nginx", image: "nginx:1.14.2" }], { replicas: 3 });
    await c.apply(`${DEPLOY}/web`, full, "kubectl");
    const handover = await c.apply(`${DEPLOY}/web`, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: { replicas: 3 },
    }, "handover-to-hpa");
    assert.equal(handover.status, 200, "same value: shared ownership, no conflict");
    const withoutReplicas = deployment([{ name: "nginx", image: "nginx:1.14.2" }]);
    const r = await c.apply(`${DEPLOY}/web`, withoutReplicas, "kubectl");
    assert.equal(r.body.spec.replicas, 3, "still owned by handover-to-hpa, so kept");
    const entries = managed(r.body);
    const kubectl = entries.find((e) => e.manager === "kubectl")!;
    assert.equal(JSON.stringify(kubectl.fieldsV1).includes("f:replicas"), false);
    assert.deepEqual(entries.find((e) => e.manager === "handover-to-hpa")!.fieldsV1, {
      "f:spec": { "f:replicas": {} },
    });
  });
});

Deno.test("objects written before any apply get a before-first-apply manager", async () => {
  await withClient(async (c) => {
    const created = await c.post(CM, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "old" },
      data: { a: "1" },
    });
    const stripped = {
      ...created.body,
      metadata: { ...created.body.metadata, managedFields: [{}] },
    };
    const cleared = await c.put(`${CM}/old`, stripped);
    assert.equal(
      cleared.body.metadata.managedFields,
      undefined,
      "an empty entry clears managedFields",
    );
    const conflict = await c.apply(`${CM}/old`, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "old" },
      data: { a: "2" },
    }, "newcomer");
    assert.equal(conflict.status, 409);
    assert.equal(
      conflict.body.message,
      'Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .data.a',
    );
  });
});

Deno.test("kubectl's server-side apply takes over client-side-applied fields without conflicts", async () => {
  await withClient(async (c) => {
    const config = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cm", annotations: {} as Record<string, string> },
      data: { a: "1" },
    };
    const annotated = structuredClone(config);
    annotated.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"] = JSON
      .stringify(config);
    await c.post(`${CM}?fieldManager=kubectl-client-side-apply`, annotated);
    const upgraded = await c.apply(`${CM}/cm`, { ...config, data: { a: "2" } }, "kubectl");
    assert.equal(upgraded.status, 200);
    assert.equal(upgraded.body.data.a, "2");
    const last = JSON.parse(
      upgraded.body.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"],
    );
    assert.equal(last.data.a, "2", "last-applied-configuration follows the server-side apply");
    const other = await c.apply(`${CM}/cm`, { ...config, data: { a: "3" } }, "someone-else");
    assert.equal(other.status, 409);
  });
});

Deno.test("status is applied through /status and tracked with the subresource", async () => {
  await withClient(async (c) => {
    const SVC = "/api/v1/namespaces/default/services";
    const svc = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "svc" },
      spec: { ports: [{ port: 80 }] },
    };
    await c.apply(`${SVC}/svc`, svc, "me");
    const status = { loadBalancer: { ingress: [{ ip: "1.2.3.4" }] } };
    const r = await c.apply(`${SVC}/svc/status`, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "svc" },
      status,
    }, "my-controller");
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.status, status);
    const entry = managed(r.body).find((e) => e.manager === "my-controller")!;
    assert.equal(entry.subresource, "status");
    assert.deepEqual(entry.fieldsV1, { "f:status": { "f:loadBalancer": { "f:ingress": {} } } });
    const mainApply = await c.apply(`${SVC}/svc`, { ...svc, status: { loadBalancer: {} } }, "me");
    assert.deepEqual(mainApply.body.status, status, "status is ignored on the main resource");
  });
});

Deno.test("apply needs a fieldManager and refuses managedFields in the body", async () => {
  await withClient(async (c) => {
    const body = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } };
    const r = await c.request("PATCH", `${CM}/x`, body, {
      contentType: "application/apply-patch+yaml",
    });
    assert.equal(r.status, 422);
    assert.match(r.body.message, /fieldManager: Required value/);
    const y = await c.request(
      "PATCH",
      `${CM}/x?fieldManager=m`,
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: v\n",
      { contentType: "application/apply-patch+yaml" },
    );
    assert.equal(y.status, 201);
    assert.deepEqual(y.body.data, { k: "v" });
  });
});

Deno.test("a patch that sets managedFields replaces them; an empty list resets them", async () => {
  await withClient(async (c) => {
    await c.apply(`${CM}/taken`, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "taken" },
      data: { a: "1" },
    }, "skiff");
    await c.patch(
      `${CM}/taken?fieldManager=kubectl-client-side-apply`,
      { data: { extra: "kubectl" } },
      "application/merge-patch+json",
    );
    const rv = (await c.get(`${CM}/taken`)).body.metadata.resourceVersion;
    const supplied = {
      manager: "skiff",
      operation: "Apply",
      apiVersion: "v1",
      fieldsType: "FieldsV1",
      fieldsV1: { "f:data": { "f:a": {}, "f:extra": {} } },
    };
    const replaced = await c.patch(`${CM}/taken`, [
      { op: "test", path: "/metadata/resourceVersion", value: rv },
      { op: "replace", path: "/metadata/managedFields", value: [supplied] },
    ], "application/json-patch+json");
    assert.equal(replaced.status, 200);
    assert.deepEqual(replaced.body.metadata.managedFields, [supplied]);

    const reset = await c.patch(
      `${CM}/taken`,
      { metadata: { managedFields: [] } },
      "application/merge-patch+json",
    );
    assert.equal(reset.status, 200);
    assert.equal(reset.body.metadata.managedFields, undefined, "[] clears managedFields");
  });
});

Deno.test("more than 10 update managers: the oldest merge into ancient-changes", async () => {
  await withClient(async (c) => {
    await c.post(CM, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "busy" }, data: {} });
    for (let i = 0; i < 12; i++) {
      await c.patch(
        `${CM}/busy?fieldManager=writer-${i}`,
        { data: { [`k${i}`]: "v" } },
        "application/merge-patch+json",
      );
    }
    const entries = managed((await c.get(`${CM}/busy`)).body);
    assert.equal(entries.length, 10);
    const ancient = entries.find((e) => e.manager === "ancient-changes");
    assert.ok(ancient, entries.map((e) => e.manager).join(","));
    assert.equal(entries.some((e) => e.manager === "writer-11"), true);
  });
});
