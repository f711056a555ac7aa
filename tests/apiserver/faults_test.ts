import assert from "node:assert/strict";
import type { EmulatorClient } from "./testing/client.ts";
import { withEmulator } from "./testing/with_emulator.ts";
import { readEvents } from "./testing/watch.ts";

function withClient(seed: number, fn: (c: EmulatorClient) => Promise<void>): Promise<void> {
  return withEmulator({ seed }, fn);
}

const CM = "/api/v1/namespaces/default/configmaps";

Deno.test("the Nth matching request fails with the chosen status", async () => {
  await withClient(1, async (c) => {
    c.server.faults.failNth(2, 500, { verb: "list", resource: "configmaps" });
    assert.equal((await c.get(CM)).status, 200);
    assert.equal(
      (await c.get("/api/v1/namespaces/default/secrets")).status,
      200,
      "other resources don't count",
    );
    const second = await c.get(CM);
    assert.equal(second.status, 500);
    assert.equal(second.body.reason, "InternalError");
    assert.equal((await c.get(CM)).status, 200);
  });
});

Deno.test("429 storms carry Retry-After and end after their count", async () => {
  await withClient(1, async (c) => {
    c.server.faults.storm429(3, 2, { verb: "get" });
    for (let i = 0; i < 3; i++) {
      const r = await c.get(`${CM}/kube-root-ca.crt`);
      assert.equal(r.status, 429);
      assert.equal(r.headers.get("retry-after"), "2");
      assert.equal(r.body.reason, "TooManyRequests");
      assert.equal(r.body.details.retryAfterSeconds, 2);
    }
    assert.equal((await c.get(`${CM}/kube-root-ca.crt`)).status, 200);
  });
});

async function failurePattern(seed: number): Promise<number[]> {
  const out: number[] = [];
  await withClient(seed, async (c) => {
    c.server.faults.failFraction(0.3, 503, { resource: "configmaps" });
    for (let i = 0; i < 20; i++) out.push((await c.get(CM)).status);
  });
  return out;
}

Deno.test("a fraction of requests fails, the same ones for the same seed", async () => {
  const a = await failurePattern(7);
  const b = await failurePattern(7);
  const other = await failurePattern(8);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, other);
  const failures = a.filter((s) => s === 503).length;
  assert.ok(failures > 0 && failures < 20, `some but not all failed (${failures})`);
});

Deno.test("latency and dropped connections", async () => {
  await withClient(1, async (c) => {
    c.server.faults.latency(150, { verb: "list" });
    const t = Date.now();
    await c.get(CM);
    assert.ok(Date.now() - t >= 140);
    c.server.faults.clear();
    c.server.faults.dropConnection({ verb: "get" });
    await assert.rejects(async () => {
      const r = await c.get(`${CM}/kube-root-ca.crt`);
      if (r.status === 200 && !r.body) throw new Error("empty body after a dropped connection");
    });
    assert.equal((await c.get(`${CM}/kube-root-ca.crt`)).status, 200);
  });
});

Deno.test("the admin endpoint sets faults, mints tokens and reports stats", async () => {
  await withClient(1, async (c) => {
    const admin = (method: string, path: string, body?: unknown) =>
      c.request(method, `/_emulator/${path}`, body);
    const added = await admin("POST", "faults", {
      verb: "create",
      resource: "configmaps",
      nth: 1,
      status: 504,
    });
    assert.equal(added.status, 201);
    const created = await c.post(CM, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "x" },
    });
    assert.equal(created.status, 504);
    assert.equal(created.body.reason, "Timeout");
    const faults = await admin("GET", "faults");
    assert.equal(faults.body[0].fired, 1);
    await admin("DELETE", "faults");
    assert.equal((await admin("GET", "faults")).body.length, 0);
    const { body: { token } } = await admin("POST", "tokens", {
      user: "ci",
      groups: ["system:masters"],
    });
    assert.equal(
      (await c.post(CM, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "y" } }, {
        token,
      })).status,
      201,
    );
    await c.post(`${CM}?dryRun=All`, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "z" },
    });
    const stats = await admin("GET", "stats");
    assert.equal(stats.body.writes, 1, "failed and dry-run writes are not counted");
    assert.ok(stats.body.byVerb.create >= 3);
    assert.equal(stats.body.requests, c.server.stats.requests);
  });
});

Deno.test("watches end after the fault's time, cleanly or with 410 Expired", async () => {
  await withClient(1, async (c) => {
    // The namespace controller adds kube-root-ca.crt shortly after start; a watch opened before
    // that would see its creation instead of nothing.
    for (let i = 0; i < 100 && (await c.get(`${CM}/kube-root-ca.crt`)).status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const watchUrl =
      `${c.server.url}${CM}?watch=true&resourceVersion=${c.server.store.resourceVersion}`;
    const headers = { authorization: `Bearer ${c.server.adminToken}` };
    const id = c.server.faults.endWatches(150);
    let t = Date.now();
    const clean = await readEvents(await fetch(watchUrl, { headers, client: c.http }), 10);
    assert.deepEqual(clean, [], "ends without an event");
    assert.ok(Date.now() - t >= 140 && Date.now() - t < 2_000, `ended after ${Date.now() - t} ms`);
    c.server.faults.remove(id);
    c.server.faults.endWatches(150, { expired: true });
    t = Date.now();
    const expired = await readEvents(await fetch(watchUrl, { headers, client: c.http }), 10);
    assert.equal(expired.length, 1);
    assert.equal(expired[0].type, "ERROR");
    assert.equal(expired[0].object.code, 410);
    assert.equal(expired[0].object.reason, "Expired");
    assert.equal(c.server.faults.list()[0].fired, 1);
    const listed = await c.get(CM);
    assert.equal(listed.status, 200, "other verbs are untouched");
  });
});
