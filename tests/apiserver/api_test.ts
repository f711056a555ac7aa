import assert from "node:assert/strict";
import type { EmulatorClient } from "./testing/client.ts";
import { withEmulator } from "./testing/with_emulator.ts";

function withServer(fn: (c: EmulatorClient) => Promise<void>): Promise<void> {
  return withEmulator({ rolloutDelayMs: 20 }, fn);
}

const CM = "/api/v1/namespaces/default/configmaps";

function configMap(
  name: string,
  data: Record<string, string> = {},
  labels?: Record<string, string>,
) {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, labels }, data };
}

Deno.test("serves version and discovery in both formats", async () => {
  await withServer(async (c) => {
    const v = await c.get("/version");
    assert.equal(v.body.gitVersion, "v1.34.0");
    const apis = await c.get("/apis");
    assert.equal(apis.body.kind, "APIGroupList");
    assert.ok(apis.body.groups.some((g: { name: string }) => g.name === "apps"));
    const agg = await c.get("/apis", {
      headers: {
        accept:
          "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json",
      },
    });
    assert.match(agg.headers.get("content-type") ?? "", /as=APIGroupDiscoveryList/);
    const apps = agg.body.items.find((i: { metadata: { name: string } }) =>
      i.metadata.name === "apps"
    );
    const deploy = apps.versions[0].resources.find((r: { resource: string }) =>
      r.resource === "deployments"
    );
    assert.deepEqual(deploy.shortNames, ["deploy"]);
    assert.deepEqual(
      deploy.subresources.map((s: { subresource: string }) => s.subresource).sort(),
      ["scale", "status"],
    );
    const core = await c.get("/api/v1");
    const pods = core.body.resources.find((r: { name: string }) => r.name === "pods");
    assert.equal(pods.namespaced, true);
    assert.ok(core.body.resources.some((r: { name: string }) => r.name === "pods/status"));
    const v3 = await c.get("/openapi/v3");
    assert.match(
      v3.body.paths["apis/apps/v1"].serverRelativeURL,
      /^\/openapi\/v3\/apis\/apps\/v1\?hash=/,
    );
    const doc = await c.get("/openapi/v3/apis/apps/v1");
    assert.ok(doc.body.components.schemas["io.k8s.api.apps.v1.Deployment"]);
  });
});

Deno.test("create, get, update with optimistic concurrency, delete", async () => {
  await withServer(async (c) => {
    const created = await c.post(CM, configMap("a", { k: "1" }));
    assert.equal(created.status, 201);
    const m = created.body.metadata;
    assert.match(m.uid, /^[0-9a-f-]{36}$/);
    assert.match(m.resourceVersion, /^\d+$/);
    assert.match(m.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(m.managedFields[0].manager, "Deno");
    const dup = await c.post(CM, configMap("a"));
    assert.equal(dup.status, 409);
    assert.equal(dup.body.reason, "AlreadyExists");
    assert.equal(dup.body.message, 'configmaps "a" already exists');
    const updated = await c.put(`${CM}/a`, { ...created.body, data: { k: "2" } });
    assert.equal(updated.status, 200);
    assert.ok(Number(updated.body.metadata.resourceVersion) > Number(m.resourceVersion));
    const stale = await c.put(`${CM}/a`, { ...created.body, data: { k: "3" } });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.reason, "Conflict");
    assert.match(stale.body.message, /the object has been modified/);
    const noop = await c.put(`${CM}/a`, updated.body);
    assert.equal(noop.body.metadata.resourceVersion, updated.body.metadata.resourceVersion);
    const del = await c.delete(`${CM}/a`);
    assert.equal(del.status, 200);
    assert.equal(del.body.status, "Success");
    const gone = await c.get(`${CM}/a`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.reason, "NotFound");
    assert.equal(gone.body.message, 'configmaps "a" not found');
    assert.equal(gone.body.details.kind, "configmaps");
  });
});

Deno.test("generation changes on spec changes only; metadata and status do not bump it", async () => {
  await withServer(async (c) => {
    const path = "/apis/apps/v1/namespaces/default/deployments";
    const d = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: {
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "c", image: "nginx" }] },
        },
      },
    };
    const created = await c.post(path, d);
    assert.equal(created.body.metadata.generation, 1);
    assert.equal(created.body.spec.replicas, 1);
    assert.equal(created.body.spec.strategy.type, "RollingUpdate");
    const labelled = await c.patch(
      `${path}/web`,
      { metadata: { labels: { x: "y" } } },
      "application/merge-patch+json",
    );
    assert.equal(labelled.body.metadata.generation, 1);
    const scaled = await c.patch(
      `${path}/web`,
      { spec: { replicas: 3 } },
      "application/merge-patch+json",
    );
    assert.equal(scaled.body.metadata.generation, 2);
    const sel = await c.patch(`${path}/web`, {
      spec: { selector: { matchLabels: { app: "other" } } },
    }, "application/merge-patch+json");
    assert.equal(sel.status, 422);
    assert.equal(sel.body.reason, "Invalid");
    assert.ok(
      sel.body.details.causes.some((x: { field: string; message: string }) =>
        x.field === "spec.selector" && /field is immutable/.test(x.message)
      ),
    );
    const scale = await c.get(`${path}/web/scale`);
    assert.equal(scale.body.kind, "Scale");
    assert.equal(scale.body.spec.replicas, 3);
  });
});

Deno.test("validation failures are 422 Invalid with causes", async () => {
  await withServer(async (c) => {
    const r = await c.post("/apis/apps/v1/namespaces/default/deployments", {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "Bad_Name" },
      spec: { template: { spec: { containers: [] } } },
    });
    assert.equal(r.status, 422);
    assert.equal(r.body.reason, "Invalid");
    const fields = r.body.details.causes.map((x: { field: string }) => x.field);
    assert.ok(fields.includes("metadata.name"));
    assert.ok(fields.includes("spec.selector"));
    assert.ok(fields.includes("spec.template.spec.containers"));
    assert.match(r.body.message, /^Deployment\.apps "Bad_Name" is invalid: \[/);
  });
});

Deno.test("services get a cluster IP that cannot change", async () => {
  await withServer(async (c) => {
    const path = "/api/v1/namespaces/default/services";
    const s = await c.post(path, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "svc" },
      spec: { selector: { app: "x" }, ports: [{ port: 80 }] },
    });
    assert.match(s.body.spec.clusterIP, /^10\.96\.\d+\.\d+$/);
    assert.equal(s.body.spec.ports[0].protocol, "TCP");
    assert.equal(s.body.spec.ports[0].targetPort, 80);
    const own = await c.get(`${path}/kubernetes`);
    assert.equal(own.body.spec.clusterIP, "10.96.0.1", "the API server's own Service exists");
    const change = await c.patch(
      `${path}/svc`,
      { spec: { clusterIP: "10.96.99.99" } },
      "application/merge-patch+json",
    );
    assert.equal(change.status, 422);
  });
});

Deno.test("list with label selectors of every operator, field selectors and pagination", async () => {
  await withServer(async (c) => {
    for (let i = 0; i < 7; i++) {
      await c.post(CM, configMap(`cm-${i}`, {}, { tier: i < 3 ? "front" : "back", n: String(i) }));
    }
    const names = async (q: string) =>
      (await c.get(`${CM}?${q}`)).body.items.map((o: { metadata: { name: string } }) =>
        o.metadata.name
      );
    assert.deepEqual(await names("labelSelector=tier%3Dfront"), ["cm-0", "cm-1", "cm-2"]);
    assert.deepEqual(await names("labelSelector=tier%3D%3Dfront,n!%3D1"), ["cm-0", "cm-2"]);
    assert.deepEqual(await names("labelSelector=n%20in%20(1,5)"), ["cm-1", "cm-5"]);
    assert.deepEqual(await names("labelSelector=tier,n%20notin%20(0,1,2,3,4)"), ["cm-5", "cm-6"]);
    assert.deepEqual(await names("labelSelector=!tier"), ["kube-root-ca.crt"]);
    assert.deepEqual(await names("labelSelector=n%3E4"), ["cm-5", "cm-6"]);
    assert.deepEqual(await names("fieldSelector=metadata.name%3Dcm-3"), ["cm-3"]);
    assert.deepEqual(
      await names(
        "fieldSelector=metadata.namespace%3Ddefault,metadata.name!%3Dcm-3&labelSelector=tier%3Dback",
      ),
      ["cm-4", "cm-5", "cm-6"],
    );
    const page1 = await c.get(`${CM}?limit=3`);
    assert.equal(page1.body.items.length, 3);
    assert.equal(page1.body.metadata.remainingItemCount, 5);
    const page2 = await c.get(
      `${CM}?limit=3&continue=${encodeURIComponent(page1.body.metadata.continue)}`,
    );
    const page3 = await c.get(
      `${CM}?limit=3&continue=${encodeURIComponent(page2.body.metadata.continue)}`,
    );
    assert.equal(page3.body.metadata.continue, undefined);
    const all = [...page1.body.items, ...page2.body.items, ...page3.body.items].map((o) =>
      o.metadata.name
    );
    assert.deepEqual(all, [
      "cm-0",
      "cm-1",
      "cm-2",
      "cm-3",
      "cm-4",
      "cm-5",
      "cm-6",
      "kube-root-ca.crt",
    ]);
    const bad = await c.get(`${CM}?labelSelector=a%20in%20`);
    assert.equal(bad.status, 400);
  });
});

Deno.test("merge, JSON and strategic merge patches", async () => {
  await withServer(async (c) => {
    const path = "/apis/apps/v1/namespaces/default/deployments";
    await c.post(path, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: {
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: {
            containers: [{ name: "a", image: "a:1", env: [{ name: "X", value: "1" }] }, {
              name: "b",
              image: "b:1",
            }],
          },
        },
      },
    });
    const smp = await c.patch(`${path}/web`, {
      spec: {
        template: {
          spec: {
            containers: [{ name: "b", image: "b:2" }, {
              name: "a",
              env: [{ name: "Y", value: "2" }],
            }],
          },
        },
      },
    }, "application/strategic-merge-patch+json");
    assert.equal(smp.status, 200);
    const cs = smp.body.spec.template.spec.containers;
    assert.deepEqual(cs.map((x: { name: string; image: string }) => `${x.name}=${x.image}`), [
      "a=a:1",
      "b=b:2",
    ]);
    assert.deepEqual(cs[0].env, [{ name: "X", value: "1" }, { name: "Y", value: "2" }]);
    const del = await c.patch(`${path}/web`, {
      spec: { template: { spec: { containers: [{ name: "b", $patch: "delete" }] } } },
    }, "application/strategic-merge-patch+json");
    assert.equal(del.body.spec.template.spec.containers.length, 1);
    const merge = await c.patch(`${path}/web`, {
      spec: { template: { spec: { containers: [{ name: "z", image: "z" }] } } },
    }, "application/merge-patch+json");
    assert.deepEqual(
      merge.body.spec.template.spec.containers.map((x: { name: string }) => x.name),
      ["z"],
    );
    const json = await c.patch(`${path}/web`, [
      { op: "test", path: "/spec/replicas", value: 1 },
      { op: "replace", path: "/spec/replicas", value: 4 },
      { op: "add", path: "/metadata/labels", value: { a: "b" } },
    ], "application/json-patch+json");
    assert.equal(json.body.spec.replicas, 4);
    assert.deepEqual(json.body.metadata.labels, { a: "b" });
    const failed = await c.patch(
      `${path}/web`,
      [{ op: "test", path: "/spec/replicas", value: 9 }],
      "application/json-patch+json",
    );
    assert.equal(failed.status, 422);
    const missing = await c.patch(`${path}/nope`, {}, "application/merge-patch+json");
    assert.equal(missing.status, 404);
    const unsupported = await c.patch(`${path}/web`, {}, "text/plain");
    assert.equal(unsupported.status, 415);
  });
});

Deno.test("dryRun=All validates and answers without storing, on every mutating verb", async () => {
  await withServer(async (c) => {
    const before = c.server.stats.writes;
    const created = await c.post(`${CM}?dryRun=All`, configMap("dry"));
    assert.equal(created.status, 201);
    assert.equal((await c.get(`${CM}/dry`)).status, 404);
    await c.post(CM, configMap("real", { a: "1" }));
    const writes = c.server.stats.writes;
    const patched = await c.patch(
      `${CM}/real?dryRun=All`,
      { data: { a: "2" } },
      "application/merge-patch+json",
    );
    assert.equal(patched.body.data.a, "2");
    const applied = await c.apply(
      `${CM}/real?dryRun=All`,
      configMap("real", { a: "3" }),
      "m",
      true,
    );
    assert.equal(applied.body.data.a, "3");
    const deleted = await c.delete(`${CM}/real?dryRun=All`);
    assert.equal(deleted.status, 200);
    const live = await c.get(`${CM}/real`);
    assert.equal(live.body.data.a, "1");
    assert.equal(c.server.stats.writes, writes);
    assert.equal(writes, before + 1);
    const badDry = await c.post(`${CM}?dryRun=Some`, configMap("x"));
    assert.equal(badDry.status, 400);
  });
});

Deno.test("finalizers hold deletion with a deletionTimestamp until removed; preconditions", async () => {
  await withServer(async (c) => {
    const o = await c.post(CM, {
      ...configMap("held"),
      metadata: { name: "held", finalizers: ["example.com/keep"] },
    });
    const wrongUid = await c.delete(`${CM}/held`, { preconditions: { uid: "nope" } });
    assert.equal(wrongUid.status, 409);
    assert.match(wrongUid.body.message, /Precondition failed: UID in precondition: nope/);
    const del = await c.delete(`${CM}/held`, { preconditions: { uid: o.body.metadata.uid } });
    assert.equal(del.status, 200);
    assert.ok(del.body.metadata.deletionTimestamp);
    const still = await c.get(`${CM}/held`);
    assert.ok(still.body.metadata.deletionTimestamp);
    const addMore = await c.patch(`${CM}/held`, {
      metadata: { finalizers: ["example.com/keep", "other"] },
    }, "application/merge-patch+json");
    assert.equal(addMore.status, 422);
    await c.patch(`${CM}/held`, { metadata: { finalizers: null } }, "application/merge-patch+json");
    assert.equal((await c.get(`${CM}/held`)).status, 404);
  });
});

Deno.test("garbage collector deletes dependants: background, foreground and orphan", async () => {
  await withServer(async (c) => {
    const owner = async (name: string) => (await c.post(CM, configMap(name))).body;
    const dependant = (name: string, o: { metadata: { name: string; uid: string } }) =>
      c.post(CM, {
        ...configMap(name),
        metadata: {
          name,
          ownerReferences: [{
            apiVersion: "v1",
            kind: "ConfigMap",
            name: o.metadata.name,
            uid: o.metadata.uid,
          }],
        },
      });
    const bg = await owner("bg");
    await dependant("bg-child", bg);
    await c.delete(`${CM}/bg`);
    await c.eventually(async () =>
      (await c.get(`${CM}/bg-child`)).status === 404 ? true : undefined
    );

    const fg = await owner("fg");
    await dependant("fg-child", fg);
    await c.post(CM, {
      ...configMap("fg-blocker"),
      metadata: {
        name: "fg-blocker",
        finalizers: ["x/y"],
        ownerReferences: [{
          apiVersion: "v1",
          kind: "ConfigMap",
          name: "fg",
          uid: fg.metadata.uid,
          blockOwnerDeletion: true,
        }],
      },
    });
    const d = await c.delete(`${CM}/fg`, { propagationPolicy: "Foreground" });
    assert.deepEqual(d.body.metadata.finalizers, ["foregroundDeletion"]);
    await c.eventually(async () =>
      (await c.get(`${CM}/fg-child`)).status === 404 ? true : undefined
    );
    assert.equal(
      (await c.get(`${CM}/fg`)).status,
      200,
      "the owner waits for the blocking dependant",
    );
    await c.patch(
      `${CM}/fg-blocker`,
      { metadata: { finalizers: null } },
      "application/merge-patch+json",
    );
    await c.eventually(async () => (await c.get(`${CM}/fg`)).status === 404 ? true : undefined);

    const or = await owner("or");
    await dependant("or-child", or);
    await c.delete(`${CM}/or?propagationPolicy=Orphan`);
    await c.eventually(async () => (await c.get(`${CM}/or`)).status === 404 ? true : undefined);
    const child = await c.get(`${CM}/or-child`);
    assert.equal(child.status, 200);
    assert.equal(child.body.metadata.ownerReferences, undefined);
  });
});

Deno.test("deleting a namespace terminates it, removes its content, then the namespace", async () => {
  await withServer(async (c) => {
    await c.post("/api/v1/namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "team" },
    });
    await c.eventually(async () =>
      (await c.get("/api/v1/namespaces/team/serviceaccounts/default")).status === 200
        ? true
        : undefined
    );
    await c.post("/api/v1/namespaces/team/configmaps", configMap("x"));
    // A finalizer holds one object, so the namespace stays Terminating until it is released.
    await c.post("/api/v1/namespaces/team/configmaps", {
      ...configMap("held"),
      metadata: { name: "held", finalizers: ["example.com/hold"] },
    });
    const d = await c.delete("/api/v1/namespaces/team");
    assert.equal(d.body.status.phase, "Terminating");
    assert.ok(d.body.metadata.deletionTimestamp);
    await c.eventually(async () =>
      (await c.get("/api/v1/namespaces/team/configmaps/x")).status === 404 ? true : undefined
    );
    const refused = await c.post("/api/v1/namespaces/team/configmaps", configMap("y"));
    assert.equal(refused.status, 403);
    assert.match(refused.body.message, /because it is being terminated/);
    assert.equal((await c.get("/api/v1/namespaces/team")).body.status.phase, "Terminating");
    await c.patch(
      "/api/v1/namespaces/team/configmaps/held",
      { metadata: { finalizers: null } },
      "application/merge-patch+json",
    );
    await c.eventually(async () =>
      (await c.get("/api/v1/namespaces/team")).status === 404 ? true : undefined
    );
    const missing = await c.post("/api/v1/namespaces/team/configmaps", configMap("z"));
    assert.equal(missing.status, 404);
    assert.equal(missing.body.message, 'namespaces "team" not found');
  });
});

Deno.test("deletecollection deletes what the selector matches", async () => {
  await withServer(async (c) => {
    await c.post(CM, configMap("a", {}, { group: "x" }));
    await c.post(CM, configMap("b", {}, { group: "x" }));
    await c.post(CM, configMap("c", {}, { group: "y" }));
    const r = await c.delete(`${CM}?labelSelector=group%3Dx`);
    assert.equal(r.status, 200);
    const left = (await c.get(`${CM}?labelSelector=group`)).body.items.map((
      o: { metadata: { name: string } },
    ) => o.metadata.name);
    assert.deepEqual(left, ["c"]);
  });
});

Deno.test("errors: 401 without a token, 404 for unknown resources, 405 for verbs a resource lacks", async () => {
  await withServer(async (c) => {
    const anon = await c.get(CM, { token: "nope" });
    assert.equal(anon.status, 401);
    assert.equal(anon.body.reason, "Unauthorized");
    const unknown = await c.get("/apis/example.com/v1/widgets");
    assert.equal(unknown.status, 404);
    const noDeleteCollection = await c.delete("/api/v1/namespaces");
    assert.equal(noDeleteCollection.status, 405);
    assert.equal(noDeleteCollection.body.reason, "MethodNotAllowed");
  });
});

Deno.test("Table output for kubectl get", async () => {
  await withServer(async (c) => {
    const t = await c.get("/api/v1/namespaces", {
      headers: { accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json" },
    });
    assert.equal(t.body.kind, "Table");
    assert.deepEqual(t.body.columnDefinitions.map((d: { name: string }) => d.name), [
      "Name",
      "Status",
      "Age",
    ]);
    assert.deepEqual(t.body.rows[0].cells.slice(0, 2), ["default", "Active"]);
    assert.equal(t.body.rows[0].object.kind, "PartialObjectMetadata");
  });
});

Deno.test("undeclared fields are dropped; fieldValidation decides between error, warning and silence", async () => {
  await withServer(async (c) => {
    const body = { ...configMap("typo", { a: "1" }), dataa: { b: "2" } };
    const strict = await c.post(`${CM}?fieldValidation=Strict`, body);
    assert.equal(strict.status, 400);
    assert.equal(
      strict.body.message,
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dataa"',
    );
    const warned = await c.post(CM, body);
    assert.equal(warned.status, 201);
    assert.equal(warned.headers.get("warning"), '299 - "unknown field \\"dataa\\""');
    assert.equal(warned.body.dataa, undefined);
    const applied = await c.apply(`${CM}/typo2?fieldValidation=Strict`, {
      ...configMap("typo2"),
      spec: {},
    }, "m");
    assert.equal(applied.status, 400);
    assert.match(applied.body.message, /\.spec: field not declared in schema$/);
    const ignored = await c.post(`${CM}?fieldValidation=Ignore`, {
      ...body,
      metadata: { name: "typo3" },
    });
    assert.equal(ignored.headers.get("warning"), null);
  });
});
