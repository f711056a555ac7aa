import assert from "node:assert/strict";
import { createStatusPage } from "../../../agent/ui/mod.ts";
import { APPS, fleet, INFRA, REVISION } from "./fixture.ts";
import { readEventsUntil } from "./sse_reader.ts";

Deno.test("the overview stream sends a changed object's row within a second", async () => {
  const f = fleet();
  const handle = createStatusPage(f.source);
  const abort = new AbortController();
  const res = (await handle(new Request("http://127.0.0.1/ui/events", { signal: abort.signal })))!;
  assert.match(res.headers.get("content-type")!, /text\/event-stream/);
  const started = performance.now();
  setTimeout(() => f.run(INFRA, { ready: "True", revision: REVISION }), 50);
  const event = await readEventsUntil(res.body!, (e) => e.event === "row" && e.data.key === INFRA);
  assert.ok(performance.now() - started < 1_000);
  assert.match(
    event.data.html,
    /^<tr data-key="Kustomization\/flux-system\/infra"[\s\S]*s-ready">Ready/,
  );
  abort.abort();
});

Deno.test("the overview stream says when an object is gone", async () => {
  const f = fleet();
  const handle = createStatusPage(f.source);
  const abort = new AbortController();
  const res = (await handle(new Request("http://127.0.0.1/ui/events", { signal: abort.signal })))!;
  setTimeout(() => {
    f.store.remove(INFRA);
    f.run(APPS, { ready: "True", revision: REVISION });
  }, 50);
  const event = await readEventsUntil(res.body!, (e) => e.event === "remove");
  assert.equal(event.data.key, INFRA);
  abort.abort();
});

Deno.test("an object page's stream sends its sections when it or a dependency changes", async () => {
  const f = fleet();
  const handle = createStatusPage(f.source);
  const abort = new AbortController();
  const res = (await handle(
    new Request(`http://127.0.0.1/ui/events?object=${encodeURIComponent(APPS)}`, {
      signal: abort.signal,
    }),
  ))!;
  setTimeout(() => f.run(INFRA, { ready: "True", revision: REVISION }), 150);
  const infraReady =
    /s-ready">Ready<\/span> <span class="muted">depends on<\/span> <a [^>]*>Kustomization\/flux-system\/infra/;
  const event = await readEventsUntil(
    res.body!,
    (e) => e.event === "object" && infraReady.test(e.data.html),
  );
  assert.match(event.data.html, /id="history"/);
  abort.abort();
});

Deno.test("a browser going away ends its subscription", {
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const f = fleet();
  let active = 0;
  const counted = {
    ...f.source,
    overview: () => f.source.overview(),
    details: (key: string) => f.source.details(key),
    subscribe(listener: (key: string) => void) {
      active++;
      const off = f.source.subscribe(listener);
      return () => {
        active--;
        off();
      };
    },
  };
  const handle = createStatusPage(counted);
  const abort = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: abort.signal, onListen: () => {} },
    async (req) => (await handle(req)) ?? new Response(null, { status: 404 }),
  );
  try {
    const client = new AbortController();
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/ui/events`, {
      signal: client.signal,
    });
    const reader = res.body!.getReader();
    await reader.read(); // the "connected" comment
    assert.equal(active, 1);
    client.abort();
    await reader.cancel().catch(() => {});
    const deadline = Date.now() + 2_000;
    while (active > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      f.run(INFRA, { ready: "True", revision: REVISION }); // a write notices a closed socket
    }
    assert.equal(active, 0);
  } finally {
    abort.abort();
    await server.finished;
  }
});
