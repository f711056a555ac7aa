import assert from "node:assert/strict";
import {
  KubeApiError,
  KubeClient,
  KubeConnectionError,
  type KubeObject,
  KubeTimeoutError,
  loadKubeConfig,
  staticCredentials,
  UnknownKindError,
} from "../../../lib/kube/mod.ts";
import { startServerNameTunnel } from "../../../lib/kube/client/server_name_tunnel.ts";
import { freePort } from "../../support/process.ts";
import { withCluster } from "./emulator_client.ts";
import { rejectsWith } from "../../support/rejects.ts";

const e2e = { sanitizeResources: false, sanitizeOps: false };

const configMap = (
  name: string,
  data: Record<string, string>,
  labels: Record<string, string> = {},
): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "default", labels },
  data,
});

Deno.test({
  name:
    "verbs: create, get, list with selectors and pages, update, four patch types, delete with preconditions",
  ...e2e,
  fn: withCluster(async ({ client }) => {
    const version = await client.raw<{ gitVersion: string }>("/version");
    assert.match(version.gitVersion, /^v1\./);

    const created = await client.create(configMap("a", { k: "1" }, { tier: "web" }), {
      fieldManager: "test",
    });
    assert.ok(created.metadata.uid);
    await client.create(configMap("b", { k: "2" }, { tier: "web" }));
    await client.create(configMap("c", { k: "3" }, { tier: "db" }));
    const dry = await client.create(configMap("d", { k: "4" }), { dryRun: true });
    assert.equal(dry.metadata.name, "d");
    assert.equal(
      await client.getIfExists("v1", "ConfigMap", "d", "default"),
      undefined,
      "dry-run persisted nothing",
    );

    const web = await client.list("v1", "ConfigMap", {
      namespace: "default",
      labelSelector: "tier=web",
    });
    assert.deepEqual(web.items.map((i) => i.metadata.name).sort(), ["a", "b"]);
    assert.equal(web.items[0].kind, "ConfigMap", "list items get apiVersion and kind back");
    const paged = await client.list("v1", "ConfigMap", { namespace: "default", limit: 1 });
    assert.ok(
      paged.items.filter((i) => ["a", "b", "c"].includes(i.metadata.name!)).length === 3,
      "all pages followed",
    );

    const got = await client.get("v1", "ConfigMap", "a", "default");
    got.data = { k: "updated" };
    const updated = await client.update(got);
    assert.deepEqual(updated.data, { k: "updated" });

    const target = { apiVersion: "v1", kind: "ConfigMap", name: "a", namespace: "default" };
    assert.deepEqual((await client.patch(target, { data: { m: "merge" } }, "merge")).data, {
      k: "updated",
      m: "merge",
    });
    assert.deepEqual(
      (await client.patch(target, [{ op: "remove", path: "/data/m" }], "json")).data,
      { k: "updated" },
    );
    assert.deepEqual((await client.patch(target, { data: { s: "smp" } }, "strategic")).data, {
      k: "updated",
      s: "smp",
    });
    const applied = await client.apply(
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "a", namespace: "default" },
        data: { owned: "yes" },
      },
      { fieldManager: "skiff-test", force: true },
    );
    assert.equal((applied.data as Record<string, string>).owned, "yes");
    assert.ok(
      applied.metadata.managedFields?.some((m) =>
        m.manager === "skiff-test" && m.operation === "Apply"
      ),
    );

    await assert.rejects(
      client.delete(target, { preconditions: { uid: "not-the-uid" } }),
      (e: unknown) => e instanceof KubeApiError && e.isConflict,
    );
    await client.delete(target, { dryRun: true });
    assert.ok(
      await client.getIfExists("v1", "ConfigMap", "a", "default"),
      "dry-run delete kept it",
    );
    await client.delete(target, {
      preconditions: { uid: created.metadata.uid },
      propagationPolicy: "Background",
    });
    await assert.rejects(client.get("v1", "ConfigMap", "a", "default"), (e: unknown) => {
      assert.ok(e instanceof KubeApiError && e.isNotFound);
      assert.equal(e.status.reason, "NotFound");
      return true;
    });
  }),
});

Deno.test({
  name: "watch yields changes and resumes from the last version when the stream ends",
  ...e2e,
  fn: withCluster(async ({ client, server }) => {
    await client.create(configMap("w1", { v: "1" }, { watched: "yes" }));
    const controller = new AbortController();
    const seen: string[] = [];
    const watching = (async () => {
      const events = client.watch("v1", "ConfigMap", {
        namespace: "default",
        labelSelector: "watched=yes",
        signal: controller.signal,
        timeoutSeconds: 1, // the server ends each stream after a second: the watch must resume
      });
      for await (const event of events) {
        if (event.type === "RESYNC") {
          seen.push(`RESYNC:${event.objects.map((o) => o.metadata.name).join(",")}`);
        } else {seen.push(
            `${event.type}:${event.object.metadata.name}:${
              (event.object.data as Record<string, string>)?.v
            }`,
          );}
        if (seen.length === 4) controller.abort();
      }
    })();
    await waitFor(() => seen.length >= 1);
    await client.patch({ apiVersion: "v1", kind: "ConfigMap", name: "w1", namespace: "default" }, {
      data: { v: "2" },
    }, "merge");
    await waitFor(() => seen.length >= 2);
    // The reconnect after the server closes the stream is dropped once: the transport retries it.
    server.faults.dropConnection({ verb: "watch", times: 1 });
    await new Promise((r) => setTimeout(r, 1_200));
    await client.create(configMap("w2", { v: "1" }, { watched: "yes" }));
    await client.delete({ apiVersion: "v1", kind: "ConfigMap", name: "w1", namespace: "default" });
    await watching;
    assert.deepEqual(seen, ["RESYNC:w1", "MODIFIED:w1:2", "ADDED:w2:1", "DELETED:w1:2"]);
  }),
});

Deno.test({
  name: "watch from a compacted version gets 410 Gone and relists",
  ...e2e,
  fn: withCluster(async ({ client, server }) => {
    const first = await client.create(configMap("g1", { v: "1" }, { watched: "yes" }));
    await client.create(configMap("g2", { v: "1" }, { watched: "yes" }));
    server.store.compact();
    const controller = new AbortController();
    const seen: string[] = [];
    for await (
      const event of client.watch("v1", "ConfigMap", {
        namespace: "default",
        labelSelector: "watched=yes",
        resourceVersion: first.metadata.resourceVersion,
        signal: controller.signal,
      })
    ) {
      if (event.type === "RESYNC") {
        seen.push(`RESYNC:${event.objects.map((o) => o.metadata.name).sort().join(",")}`);
        controller.abort();
      }
    }
    assert.deepEqual(seen, ["RESYNC:g1,g2"]);
  }),
});

Deno.test({
  name: "retries 429 and 5xx with backoff, honouring Retry-After",
  ...e2e,
  fn: withCluster(async ({ client, server }) => {
    await client.create(configMap("r", { v: "1" }));
    server.faults.storm429(2, 0, { verb: "get", resource: "configmaps" });
    server.faults.failNth(1, 503, { verb: "list", resource: "configmaps" });
    const before = client.transport.stats.retries;
    assert.equal((await client.get("v1", "ConfigMap", "r", "default")).metadata.name, "r");
    assert.ok((await client.list("v1", "ConfigMap", { namespace: "default" })).items.length >= 1);
    assert.equal(client.transport.stats.retries - before, 3);

    // The wait before a retry is the server's Retry-After, not the backoff.
    const delays: number[] = [];
    const recording = new KubeClient(client.config, {
      sleep: (ms) => {
        delays.push(ms);
        return Promise.resolve();
      },
    });
    server.faults.storm429(1, 7, { verb: "get", resource: "configmaps" });
    server.faults.dropConnection({ verb: "get", resource: "configmaps", nth: 1 });
    assert.equal((await recording.get("v1", "ConfigMap", "r", "default")).metadata.name, "r");
    assert.equal(delays[0], 7_000);
    assert.equal(delays.length, 2, "the dropped connection was retried too");
    recording.transport.close();

    server.faults.failFraction(1, 500, { verb: "get", resource: "configmaps" });
    await assert.rejects(
      client.get("v1", "ConfigMap", "r", "default"),
      (e: unknown) => e instanceof KubeApiError && e.code === 500,
    );
  }),
});

Deno.test({
  name: "errors for people: unreachable server, forbidden user, unknown kind",
  ...e2e,
  fn: withCluster(async ({ client, server }) => {
    const port = freePort();
    const nowhere = new KubeClient(
      {
        server: `https://127.0.0.1:${port}`,
        namespace: "default",
        tls: {},
        credentials: staticCredentials({}),
        source: "test",
      },
      { retry: { maxRetries: 1, baseDelayMs: 1 } },
    );
    await assert.rejects(nowhere.raw("/version"), (e: unknown) => {
      assert.ok(e instanceof KubeConnectionError);
      assert.equal(e.message, `cannot reach https://127.0.0.1:${port} (connection refused)`);
      return true;
    });

    const sa = client.impersonating({
      user: "system:serviceaccount:x:y",
      groups: ["system:serviceaccounts"],
    });
    await assert.rejects(
      sa.patch({ apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "z" }, {
        spec: {},
      }, "merge"),
      (e: unknown) => {
        assert.ok(e instanceof KubeApiError && e.isForbidden);
        assert.equal(
          e.message,
          "forbidden: User 'system:serviceaccount:x:y' cannot patch deployments.apps in namespace 'z'",
        );
        return true;
      },
    );
    const tokenUser = new KubeClient({
      ...client.config,
      credentials: staticCredentials({ authorization: `Bearer ${server.tokenFor("jane")}` }),
      impersonate: undefined,
    });
    await assert.rejects(
      tokenUser.list("v1", "Secret", { namespace: "kube-system" }),
      /forbidden: User 'jane' cannot list secrets in namespace 'kube-system'/,
    );
    tokenUser.transport.close();

    await assert.rejects(client.get("example.com/v1", "Foo", "x", "default"), (e: unknown) => {
      assert.ok(e instanceof UnknownKindError);
      assert.equal(e.message, "no kind 'Foo' in group 'example.com' — is the CRD installed?");
      return true;
    });
  }),
});

Deno.test({
  name: "discovery is aggregated, cached, and finds a CRD's kind once it is established",
  ...e2e,
  fn: withCluster(async ({ client }) => {
    const info = await client.resourceFor("apps/v1", "Deployment");
    assert.deepEqual([info.resource, info.namespaced], ["deployments", true]);
    assert.equal(client.discovery.aggregated, true);
    assert.equal(
      (await client.resourceFor("rbac.authorization.k8s.io/v1", "ClusterRole")).namespaced,
      false,
    );
    await client.create({
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "gadgets.example.com" },
      spec: {
        group: "example.com",
        scope: "Cluster",
        names: { plural: "gadgets", singular: "gadget", kind: "Gadget", listKind: "GadgetList" },
        versions: [{
          name: "v1",
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
          },
        }],
      },
    });
    await waitFor(async () => {
      client.discovery.invalidate();
      return (await client.discovery.resources()).some((r) => r.kind === "Gadget");
    });
    const gadget = await client.resourceFor("example.com/v1", "Gadget");
    assert.deepEqual([gadget.resource, gadget.namespaced], ["gadgets", false]);
  }),
});

Deno.test({
  name: "legacy discovery (per group-version) maps kinds the same way",
  ...e2e,
  fn: withCluster(async ({ client }) => {
    const legacy = new KubeClient(client.config, { discovery: { aggregated: false } });
    const info = await legacy.resourceFor("apps/v1", "Deployment");
    assert.deepEqual([info.resource, info.namespaced], ["deployments", true]);
    assert.equal(legacy.discovery.aggregated, false);
    const kinds = (list: { kind: string; group: string; version: string }[]) =>
      list.map((r) => `${r.group}/${r.version}/${r.kind}`).sort();
    assert.deepEqual(
      kinds(await legacy.discovery.resources()),
      kinds(await client.discovery.resources()),
    );
    legacy.transport.close();
  }),
});

Deno.test({
  name: "a request that takes longer than the timeout fails with the time it waited",
  ...e2e,
  fn: withCluster(async ({ client, server }) => {
    await client.resourceFor("v1", "ConfigMap"); // discovery first, outside the slow path
    const impatient = new KubeClient(client.config, { timeoutMs: 100, retry: { maxRetries: 0 } });
    server.faults.latency(400, { verb: "list", resource: "configmaps" });
    await assert.rejects(
      impatient.list("v1", "ConfigMap", { namespace: "default" }),
      (e: unknown) => {
        assert.ok(e instanceof KubeTimeoutError);
        assert.match(
          e.message,
          /GET https:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\/default\/configmaps: no answer within 100 ms/,
        );
        return true;
      },
    );
    impatient.transport.close();
  }),
});

Deno.test({
  name: "a 401 re-reads credentials once (rotated token)",
  ...e2e,
  fn: withCluster(async ({ client, server }) => {
    let calls = 0;
    const rotating = new KubeClient({
      ...client.config,
      credentials: {
        get: () =>
          Promise.resolve({
            authorization: `Bearer ${calls++ === 0 ? "expired" : server.adminToken}`,
          }),
        invalidate() {},
      },
    });
    assert.ok((await rotating.raw<{ gitVersion: string }>("/version")).gitVersion);
    const list = await rotating.list("v1", "Namespace");
    assert.ok(list.items.length > 0);
    assert.equal(calls >= 2, true);
    rotating.transport.close();
  }),
});

Deno.test({
  name: "tls-server-name: the certificate is checked against that name",
  ...e2e,
  fn: withCluster(async ({ client }) => {
    const good = new KubeClient({
      ...client.config,
      tls: { ...client.config.tls, serverName: "kubernetes.default.svc" },
    });
    assert.ok((await good.list("v1", "Namespace")).items.length > 0);
    good.transport.close();
    const bad = new KubeClient(
      { ...client.config, tls: { ...client.config.tls, serverName: "wrong.example" } },
      { retry: { maxRetries: 0 } },
    );
    await rejectsWith(
      bad.raw("/version"),
      KubeConnectionError,
      /TLS/,
    );
    bad.transport.close();
  }),
});

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test({
  name: "exec plugin credentials: a 401 runs the plugin again and the new token is used",
  ...e2e,
  fn: withCluster(async ({ server }) => {
    const dir = await Deno.makeTempDir();
    try {
      // First run answers a stale token, every later run the real one.
      const plugin = `${dir}/plugin.sh`;
      await Deno.writeTextFile(
        plugin,
        `#!/bin/sh
if [ -f "${dir}/ran" ]; then token="${server.adminToken}"; else token=stale; touch "${dir}/ran"; fi
echo "{\\"apiVersion\\":\\"client.authentication.k8s.io/v1\\",\\"kind\\":\\"ExecCredential\\",\\"status\\":{\\"token\\":\\"$token\\"}}"
`,
      );
      await Deno.chmod(plugin, 0o755);
      await Deno.writeTextFile(
        `${dir}/config`,
        `apiVersion: v1
kind: Config
current-context: c
clusters: [{name: c, cluster: {server: "${server.url}", certificate-authority: "${server.caFile}"}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ./plugin.sh, interactiveMode: Never}}}]
`,
      );
      const client = new KubeClient(await loadKubeConfig({ kubeconfig: `${dir}/config`, env: {} }));
      const namespaces = await client.list("v1", "Namespace");
      assert.ok(namespaces.items.some((n) => n.metadata.name === "kube-system"));
      client.transport.close();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }),
});

Deno.test({
  name: "proxy-url: requests go through an HTTP CONNECT proxy",
  ...e2e,
  fn: withCluster(async ({ client, server }) => {
    const url = new URL(server.url);
    let connects = 0;
    // A CONNECT proxy that counts tunnels, built from the tunnel the client itself uses.
    const proxy = startServerNameTunnel({ hostname: url.hostname, port: Number(url.port) });
    const counting = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const proxyPort = (counting.addr as Deno.NetAddr).port;
    (async () => {
      for await (const conn of counting) {
        connects++;
        const upstream = await Deno.connect({
          hostname: "127.0.0.1",
          port: Number(new URL(proxy.url).port),
        });
        conn.readable.pipeTo(upstream.writable).catch(() => {});
        upstream.readable.pipeTo(conn.writable).catch(() => {});
      }
    })().catch(() => {});
    try {
      const viaProxy = new KubeClient({
        ...client.config,
        proxyUrl: `http://127.0.0.1:${proxyPort}`,
      });
      assert.ok((await viaProxy.list("v1", "Namespace")).items.length > 0);
      assert.ok(connects >= 1);
      viaProxy.transport.close();
    } finally {
      counting.close();
      proxy.close();
    }
  }),
});

Deno.test({
  name: "a client certificate from the kubeconfig is presented with the token",
  ...e2e,
  fn: withCluster(async ({ server }) => {
    const dir = await Deno.makeTempDir();
    try {
      const openssl = await new Deno.Command("openssl", {
        args: [
          "req",
          "-x509",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:P-256",
          "-nodes",
          "-keyout",
          `${dir}/client.key`,
          "-out",
          `${dir}/client.crt`,
          "-subj",
          "/CN=jane/O=devs",
          "-days",
          "1",
        ],
        stdout: "null",
        stderr: "null",
      }).output();
      assert.ok(openssl.success);
      await Deno.writeTextFile(
        `${dir}/config`,
        `current-context: c
clusters: [{name: c, cluster: {server: "${server.url}", certificate-authority-data: "${
          btoa(server.caPem)
        }"}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
users: [{name: u, user: {client-certificate: client.crt, client-key: client.key, token: "${server.adminToken}"}}]
`,
      );
      const config = await loadKubeConfig({ kubeconfig: `${dir}/config`, env: {} });
      assert.match((await config.credentials.get()).certPem ?? "", /BEGIN CERTIFICATE/);
      const client = new KubeClient(config);
      assert.ok((await client.list("v1", "Namespace")).items.length > 0);
      client.transport.close();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }),
});
