import assert from "node:assert/strict";
import {
  BodyLimitError,
  type BodyLimits,
  MAX_WEBHOOK_BODY_BYTES,
  readBodyLimited,
  WEBHOOK_BODY_TIMEOUT_MS,
} from "../../../agent/server/mod.ts";
import { rawExchange } from "../../support/raw_http.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

/** A real Deno.serve on loopback whose handler reads the body like the receivers do. */
async function withServer(
  limits: BodyLimits,
  test: (port: number, outcomes: string[]) => Promise<void>,
): Promise<void> {
  const outcomes: string[] = [];
  const abort = new AbortController();
  let port = 0;
  await new Promise<void>((resolve) => {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      signal: abort.signal,
      onListen: (a) => {
        port = a.port;
        resolve();
      },
    }, async (req) => {
      try {
        const body = await readBodyLimited(req, limits);
        outcomes.push(`read ${body.byteLength}`);
        return new Response(`${body.byteLength}\n`);
      } catch (e) {
        if (!(e instanceof BodyLimitError)) throw e;
        outcomes.push(e.reason);
        return new Response(e.message, { status: e.status, headers: { connection: "close" } });
      }
    });
    void server;
  });
  try {
    await test(port, outcomes);
  } finally {
    abort.abort();
  }
}

Deno.test("the defaults are 1 MiB and 10 s", () => {
  assert.equal(MAX_WEBHOOK_BODY_BYTES, 1024 * 1024);
  assert.equal(WEBHOOK_BODY_TIMEOUT_MS, 10_000);
});

Deno.test("a body within the limit is read whole", opts, async () => {
  await withServer({ maxBytes: 1024, timeoutMs: 2_000 }, async (port, outcomes) => {
    const res = await fetch(`http://127.0.0.1:${port}/`, {
      method: "POST",
      body: "a".repeat(1024),
    });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "1024\n");
    const empty = await fetch(`http://127.0.0.1:${port}/`, { method: "POST" });
    assert.equal(empty.status, 200);
    await empty.body?.cancel();
    assert.deepEqual(outcomes, ["read 1024", "read 0"]);
  });
});

Deno.test(
  "a Content-Length over the limit is answered 413 before any body byte is sent",
  opts,
  async () => {
    await withServer({ maxBytes: 1024, timeoutMs: 2_000 }, async (port, outcomes) => {
      // Only the head is sent: the answer must come without waiting for the 64 MiB.
      const r = await rawExchange(
        port,
        `POST / HTTP/1.1\r\nHost: a\r\nContent-Length: ${64 * 1024 * 1024}\r\n\r\n`,
      );
      assert.match(r.text, /^HTTP\/1\.1 413/);
      assert.match(r.text, /over the limit of 1024 bytes/);
      assert.ok(r.ms < 2_000, `answered after ${r.ms} ms`);
      assert.deepEqual(outcomes, ["TooLarge"]);
    });
  },
);

Deno.test("a chunked body is cancelled once it passes the limit (413)", opts, async () => {
  await withServer({ maxBytes: 64 * 1024, timeoutMs: 5_000 }, async (port, outcomes) => {
    // An endless stream: only the server stopping can end this request.
    let pulled = 0;
    const chunk = new Uint8Array(16 * 1024);
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled += chunk.byteLength;
        c.enqueue(chunk);
      },
    });
    const status = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: endless })
      .then(async (res) => {
        await res.body?.cancel();
        return res.status;
      })
      // The server may close before the client finishes writing; the status is then lost but
      // what the server did is still checked below.
      .catch(() => 413);
    assert.equal(status, 413);
    assert.deepEqual(outcomes, ["TooLarge"]);
    assert.ok(pulled < 64 * 1024 * 1024, `the client was made to send ${pulled} bytes`);
  });
});

Deno.test("a body trickling in is cut off at the deadline with 408", opts, async () => {
  await withServer({ maxBytes: 1024, timeoutMs: 500 }, async (port, outcomes) => {
    const stop = new AbortController();
    try {
      const r = await rawExchange(
        port,
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n",
        { every: 50, stop: stop.signal },
      );
      assert.match(r.text, /^HTTP\/1\.1 408/);
      assert.match(r.text, /not received within 500 ms/);
      // Answered at the deadline even though a byte arrives every 50 ms.
      assert.ok(r.ms >= 450 && r.ms < 3_000, `answered after ${r.ms} ms`);
      assert.deepEqual(outcomes, ["Timeout"]);
    } finally {
      stop.abort();
    }
  });
});

Deno.test("readBodyLimited refuses directly constructed requests the same way", async () => {
  const limits = { maxBytes: 4, timeoutMs: 1_000 };
  const big = new Request("http://x/", { method: "POST", body: "12345" });
  await assert.rejects(
    readBodyLimited(big, limits),
    (e) => e instanceof BodyLimitError && e.status === 413 && e.reason === "TooLarge",
  );
  const ok = new Request("http://x/", { method: "POST", body: "1234" });
  assert.equal(new TextDecoder().decode(await readBodyLimited(ok, limits)), "1234");
});
