import assert from "node:assert/strict";
import { parseOne } from "../../lib/yaml/mod.ts";
import { startApiServer } from "./mod.ts";
import { EmulatorClient } from "./testing/client.ts";

Deno.test("starts quickly and writes a ready kubeconfig; plain HTTP works too", async () => {
  const t = performance.now();
  const server = await startApiServer();
  const elapsed = performance.now() - t;
  try {
    // A generous bound for loaded CI machines; bench/apiserver measures the real figure (~60 ms).
    assert.ok(elapsed < 3000, `start-up took ${elapsed} ms`);
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const kc = parseOne(await Deno.readTextFile(server.kubeconfigPath)) as {
      "current-context": string;
      clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
      users: { user: { token: string } }[];
    };
    assert.equal(kc["current-context"], "emulator");
    assert.equal(kc.clusters[0].cluster.server, server.url);
    assert.equal(atob(kc.clusters[0].cluster["certificate-authority-data"]), server.caPem);
    assert.equal(kc.users[0].user.token, server.adminToken);
    assert.equal(await Deno.readTextFile(server.caFile), server.caPem);
  } finally {
    await server.stop();
  }
  await assert.rejects(
    Deno.stat(server.kubeconfigPath),
    "the temporary kubeconfig is removed at stop",
  );
  const plain = await startApiServer({ tls: false });
  try {
    const r = await fetch(`${plain.url}/version`);
    assert.equal((await r.json()).major, "1");
  } finally {
    await plain.stop();
  }
});

Deno.test("state survives a restart through the snapshot file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "emulator-snap-" });
  const snapshotFile = `${dir}/state.json`;
  try {
    const first = await startApiServer({ snapshotFile });
    const c1 = new EmulatorClient(first);
    await c1.post("/api/v1/namespaces/default/configmaps", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "kept" },
      data: { a: "1" },
    });
    const rv = first.store.resourceVersion;
    c1.close();
    await first.stop();
    const second = await startApiServer({ snapshotFile });
    const c2 = new EmulatorClient(second);
    try {
      const r = await c2.get("/api/v1/namespaces/default/configmaps/kept");
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.data, { a: "1" });
      assert.equal(second.store.resourceVersion, rv);
      assert.equal(second.store.get("v1", "ConfigMap", "kept", "default")?.kind, "ConfigMap");
    } finally {
      c2.close();
      await second.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "deno task apiserver writes a kubeconfig once serving and stops on SIGTERM",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "emulator-cli-" });
    const kubeconfig = `${dir}/kubeconfig`;
    const root = new URL("../../", import.meta.url).pathname;
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", "tests/apiserver/main.ts", "--kubeconfig", kubeconfig],
      cwd: root,
      stdout: "null",
      stderr: "piped",
    }).spawn();
    try {
      const deadline = Date.now() + 20_000;
      let text = "";
      while (Date.now() < deadline) {
        try {
          text = await Deno.readTextFile(kubeconfig);
          if (text.includes("current-context")) break;
        } catch {
          // not yet
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      const kc = parseOne(text) as {
        clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
        users: { user: { token: string } }[];
      };
      const http = Deno.createHttpClient({
        caCerts: [atob(kc.clusters[0].cluster["certificate-authority-data"])],
      });
      const r = await fetch(`${kc.clusters[0].cluster.server}/api/v1/namespaces`, {
        headers: { authorization: `Bearer ${kc.users[0].user.token}` },
        client: http,
      });
      const list = await r.json();
      http.close();
      assert.ok(
        list.items.some((n: { metadata: { name: string } }) => n.metadata.name === "kube-system"),
      );
    } finally {
      child.kill("SIGTERM");
      const status = await child.status;
      await child.stderr.cancel();
      assert.equal(status.code, 0);
      await Deno.remove(dir, { recursive: true });
    }
  },
});
