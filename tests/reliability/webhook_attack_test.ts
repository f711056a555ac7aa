// Hostile webhook traffic against a running agent's receiver: wrong signatures, a replayed
// payload, oversized bodies, a body trickling in and slowloris connections. Refused requests
// trigger nothing, a replay only causes an idempotent reconcile (no writes), and the agent stays
// responsive. The logs, status API and metrics are scanned for the webhook token and the
// Secret's data.
import assert from "node:assert/strict";
import { MAX_WEBHOOK_BODY_BYTES, WEBHOOK_BODY_TIMEOUT_MS } from "../../agent/server/mod.ts";
import { githubPushReceiver, githubSignature } from "../support/github_webhook.ts";
import { rawExchange } from "../support/raw_http.ts";
import {
  appsConfig,
  deployment,
  e2eOpts as opts,
  eventually,
  replicasOf,
  seedFluxSystem,
  startWorld,
} from "../e2e/harness.ts";
import { countBookkeepingWrites } from "./bookkeeping_writes.ts";
import { recordScenario } from "./record.ts";
import { leakScanner, TEST_SECRETS } from "./secrets.ts";

const TOKEN = TEST_SECRETS.registryToken; // any distinctive test secret works as the hook token

async function timedFetch(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; ms: number }> {
  const start = performance.now();
  const res = await fetch(url, init);
  await res.body?.cancel();
  return { status: res.status, ms: performance.now() - start };
}

/** Opens a TCP connection and sends an incomplete request, a byte now and then. */
async function slowloris(port: number, stop: AbortSignal): Promise<Deno.TcpConn> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const write = (s: string) => conn.write(new TextEncoder().encode(s)).catch(() => 0);
  await write("POST /hook/x HTTP/1.1\r\nHost: a\r\n");
  (async () => {
    while (!stop.aborted) {
      await new Promise((r) => setTimeout(r, 200));
      await write("X-a: b\r\n");
    }
  })();
  return conn;
}

Deno.test("hostile webhooks: refused or harmless, the agent stays responsive", opts, async () => {
  const world = await startWorld(
    { "apps/web.yaml": deployment("web", 1) },
    (url) => appsConfig(url, "1h", "1h", githubPushReceiver),
  );
  const stopSlow = new AbortController();
  const slow: Deno.TcpConn[] = [];
  try {
    seedFluxSystem(world.api, { "webhook-token": { token: TOKEN } });
    world.api.store.create({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "db", namespace: "default" },
      stringData: { password: TEST_SECRETS.secretData },
    });
    const agent = await world.startAgent();
    const store = world.api.store;
    const replicas = () => replicasOf(world.api, "web");
    await eventually("first sync", () => replicas() === 1, 15_000, world.logs);
    const base = `http://127.0.0.1:${agent.port}`;
    const hook = base + agent.server!.receivers.pathOf("flux-system", "github")!;
    const body = JSON.stringify({ ref: "refs/heads/main" });
    const sign = (b: Uint8Array) => githubSignature(TOKEN, b);
    let faults = 0;

    // Wrong signatures (zeros, signed with another key, none at all) are refused.
    await world.repo.commit({ "apps/web.yaml": deployment("web", 3) });
    const wrong = [
      "sha256=" + "0".repeat(64),
      await githubSignature("not-the-token", body),
      "",
    ];
    for (const signature of wrong) {
      const r = await timedFetch(hook, {
        method: "POST",
        body,
        headers: { "x-github-event": "push", "x-hub-signature-256": signature },
      });
      assert.equal(r.status, 401);
      faults++;
    }
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(replicas(), 1, "refused webhooks trigger nothing");

    // A valid delivery syncs; replaying it ten times writes nothing more (reconciles are no-ops).
    const signature = await sign(new TextEncoder().encode(body));
    const deliver = () =>
      timedFetch(hook, {
        method: "POST",
        body,
        headers: { "x-github-event": "push", "x-hub-signature-256": signature },
      });
    assert.equal((await deliver()).status, 200);
    await eventually("synced by the webhook", () => replicas() === 3, 10_000, world.logs);
    await new Promise((r) => setTimeout(r, 500));
    // The syncing run may still be writing its inventory on a slow machine.
    await agent.core.scheduler.idle("Kustomization/flux-system/apps");
    // The agent's presence Lease renewals are not the replays' doing.
    const bookkeeping = countBookkeepingWrites(world.api);
    const writes = world.api.stats.writes;
    for (let i = 0; i < 10; i++) assert.equal((await deliver()).status, 200);
    faults += 10;
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(world.api.stats.writes - bookkeeping(), writes, "replays caused no writes");

    // Oversized bodies are refused with 413 before they are buffered, and trigger nothing even
    // when correctly signed: a declared 64 MiB Content-Length is answered before a body byte is
    // sent, and an endless signed chunked body is cut off just past the 1 MiB limit.
    await world.repo.commit({ "apps/web.yaml": deployment("web", 5) });
    const hookPathOnly = hook.slice(base.length);
    const declared = await rawExchange(
      agent.port!,
      `POST ${hookPathOnly} HTTP/1.1\r\nHost: a\r\nX-GitHub-Event: push\r\n` +
        `X-Hub-Signature-256: sha256=${"1".repeat(64)}\r\nContent-Length: ${
          64 * 1024 * 1024
        }\r\n\r\n`,
    );
    assert.match(declared.text, /^HTTP\/1\.1 413/, declared.text);
    faults++;
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        if (pulled >= 64 * 1024 * 1024) return c.close();
        pulled += chunk.byteLength;
        c.enqueue(chunk);
      },
    });
    // Signed over exactly the bytes the stream would send, so only the size refuses it.
    const whole = new Uint8Array(64 * 1024 * 1024).fill(0x20);
    const bigSignature = await sign(whole);
    const chunked = await fetch(hook, {
      method: "POST",
      body: endless,
      headers: { "x-github-event": "push", "x-hub-signature-256": bigSignature },
    }).then(async (res) => {
      await res.body?.cancel();
      return res.status;
    }).catch(() => 413); // the server may stop reading before the client finishes writing
    assert.equal(chunked, 413);
    assert.ok(pulled < 8 * MAX_WEBHOOK_BODY_BYTES, `the agent accepted ${pulled} bytes`);
    faults++;

    // A body trickling in (a byte every 200 ms) is cut off with 408 at the read deadline; it runs
    // while the slowloris connections below are open.
    const stopTrickle = new AbortController();
    const small = new TextEncoder().encode(body);
    const trickled = rawExchange(
      agent.port!,
      `POST ${hookPathOnly} HTTP/1.1\r\nHost: a\r\nX-GitHub-Event: push\r\n` +
        `X-Hub-Signature-256: ${await sign(small)}\r\nContent-Length: 100000\r\n\r\n`,
      { every: 200, stop: stopTrickle.signal },
    ).finally(() => stopTrickle.abort());
    trickled.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled

    // 100 slowloris connections do not stop health checks or webhooks.
    for (let i = 0; i < 100; i++) slow.push(await slowloris(agent.port!, stopSlow.signal));
    faults += 100;
    const health = await timedFetch(`${base}/healthz`);
    assert.equal(health.status, 200);
    assert.ok(health.ms < 1_000, `healthz took ${health.ms} ms under slowloris`);
    const slowBody = await trickled;
    assert.match(slowBody.text, /^HTTP\/1\.1 408/, slowBody.text);
    assert.ok(
      slowBody.ms >= WEBHOOK_BODY_TIMEOUT_MS - 500 && slowBody.ms < WEBHOOK_BODY_TIMEOUT_MS + 5_000,
      `408 after ${slowBody.ms} ms`,
    );
    faults++;
    assert.equal(replicas(), 3, "oversized and slow bodies triggered nothing");
    assert.equal((await deliver()).status, 200);
    await eventually("synced by the next webhook", () => replicas() === 5, 10_000, world.logs);

    // Nothing the agent logged or serves contains the token or the Secret's data.
    const leaks = leakScanner();
    const status = await (await fetch(`${base}/api/v1/status`)).text();
    const metrics = await (await fetch(`${base}/metrics`)).text();
    leaks.scan("logs", ...world.logs);
    leaks.scan("status API", status);
    leaks.scan("metrics", metrics);
    const inventory = store.get("v1", "ConfigMap", "skiff-ks-flux-system-apps", "flux-system");
    leaks.scan("inventory", JSON.stringify(inventory ?? {}));
    assert.equal(leaks.found, 0, `leaked in: ${leaks.places.join(", ")}`);
    await recordScenario("webhook-attacks", {
      faultsInjected: faults,
      secretsLeaked: leaks.found,
      note: `64 MiB → 413 in ${Math.round(declared.ms)} ms; slow body → 408 after ` +
        `${(slowBody.ms / 1000).toFixed(1)} s; healthz ${Math.round(health.ms)} ms under 100 ` +
        `slow connections`,
    });
  } finally {
    stopSlow.abort();
    for (const c of slow) {
      try {
        c.close();
      } catch { /* closed by the server */ }
    }
    await world.stop();
  }
});
