import assert from "node:assert/strict";
import { loadConfigText } from "../../../agent/config/mod.ts";
import { sendEvent } from "../../../agent/events/mod.ts";
import { fixtureEvent } from "./event_fixture.ts";

const config = loadConfigText(
  `apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: {name: am}
spec: {type: alertmanager, timeout: 2s}
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: {name: pd}
spec: {type: pagerduty, address: "https://events.pagerduty.com", channel: rk}
`,
  "providers.yaml",
);

interface Seen {
  url: string;
  headers: Record<string, string>;
}

function recordingFetch(seen: Seen[], status = 202): typeof fetch {
  return ((input: string | URL | Request, init?: RequestInit) => {
    seen.push({ url: String(input), headers: { ...(init?.headers as Record<string, string>) } });
    return Promise.resolve(new Response("ok", { status }));
  }) as typeof fetch;
}

Deno.test("credentials in an address become basic auth; fetch never sees them in the URL", async () => {
  const seen: Seen[] = [];
  await sendEvent(
    config.get("Provider", "flux-system", "am")!,
    { address: "https://user:p%40ss@am.example/api/v2/alerts" },
    fixtureEvent(),
    { fetch: recordingFetch(seen) },
  );
  assert.equal(seen[0].url, "https://am.example/api/v2/alerts");
  assert.equal(seen[0].headers.authorization, `Basic ${btoa("user:p@ss")}`);
});

Deno.test("each request of a delivery is retried on its own", async () => {
  const seen: Seen[] = [];
  let changeFailures = 1;
  const flaky = ((input: string | URL | Request, init?: RequestInit) => {
    seen.push({ url: String(input), headers: init?.headers as Record<string, string> });
    const failing = String(input).endsWith("/change/enqueue") && changeFailures-- > 0;
    return Promise.resolve(new Response("", { status: failing ? 502 : 202 }));
  }) as typeof fetch;
  const result = await sendEvent(config.get("Provider", "flux-system", "pd")!, {}, fixtureEvent(), {
    fetch: flaky,
    baseDelayMs: 1,
  });
  assert.deepEqual(result, { sent: 2 });
  assert.deepEqual(seen.map((s) => new URL(s.url).pathname), [
    "/v2/enqueue",
    "/v2/change/enqueue",
    "/v2/change/enqueue",
  ]);
});

Deno.test(
  "requests go through the proxy of the Secret, with its credentials",
  { sanitizeResources: false, sanitizeOps: false },
  async () => {
    const seen: { url: string; proxyAuth: string | null; body: string }[] = [];
    const proxy = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      async (req) => {
        seen.push({
          url: req.url,
          proxyAuth: req.headers.get("proxy-authorization"),
          body: await req.text(),
        });
        return new Response("ok");
      },
    );
    try {
      await sendEvent(
        config.get("Provider", "flux-system", "am")!,
        {
          address: "http://alertmanager.invalid:9093/api/v2/alerts",
          proxy: `http://127.0.0.1:${proxy.addr.port}`,
          proxyUsername: "proxy-user",
          proxyPassword: "proxy-pass",
        },
        fixtureEvent(),
        { attempts: 1 },
      );
      assert.equal(seen.length, 1);
      assert.match(seen[0].url, /alertmanager\.invalid:9093\/api\/v2\/alerts$/);
      assert.equal(seen[0].proxyAuth, `Basic ${btoa("proxy-user:proxy-pass")}`);
      assert.equal(JSON.parse(seen[0].body)[0].status, "firing");
    } finally {
      await proxy.shutdown();
    }
  },
);

Deno.test("an address that is not a URL is named without being quoted", async () => {
  for (const provider of ["am", "pd"]) {
    await assert.rejects(
      () =>
        sendEvent(
          config.get("Provider", "flux-system", provider)!,
          { address: "hooks/secret-token-in-path" },
          fixtureEvent(),
          { fetch: recordingFetch([]) },
        ),
      (e) =>
        e instanceof Error && /not a URL/.test(e.message) &&
        !e.message.includes("secret-token-in-path"),
    );
  }
});
