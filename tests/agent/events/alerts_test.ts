import assert from "node:assert/strict";
import { loadConfigText } from "../../../agent/config/mod.ts";
import {
  type AgentEvent,
  eventForAlert,
  matchingAlerts,
  payloadFor,
  sendEvent,
} from "../../../agent/events/mod.ts";

const config = loadConfigText(
  `apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: {name: slack}
spec: {type: slack, channel: ops, address: "https://hooks.example/x"}
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: {name: errors}
spec:
  providerRef: {name: slack}
  eventSeverity: error
  eventSources: [{kind: Kustomization, name: "*"}]
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: {name: apps-only}
spec:
  providerRef: {name: slack}
  eventSources: [{kind: Kustomization, name: apps}]
  inclusionList: ["^Applied"]
  eventMetadata: {cluster: prod}
`,
  "alerts.yaml",
);

function event(name: string, severity: "info" | "error", message: string): AgentEvent {
  return {
    involvedObject: { kind: "Kustomization", namespace: "flux-system", name },
    severity,
    reason: severity === "error" ? "BuildFailed" : "ReconciliationSucceeded",
    message,
    timestamp: "2026-01-01T00:00:00Z",
    metadata: { revision: "main@sha1:abc" },
    reportingController: "skiff",
    reportingInstance: "test",
  };
}

Deno.test("alerts select by source, severity and inclusion list", () => {
  const names = (e: AgentEvent) => matchingAlerts(config, e).map((a) => a.metadata.name);
  assert.deepEqual(names(event("apps", "info", "Applied revision: x")), ["apps-only"]);
  assert.deepEqual(names(event("apps", "error", "kustomize build failed")), ["errors"]);
  assert.deepEqual(names(event("infra", "info", "Applied revision: x")), []);
  const alert = config.get("Alert", "flux-system", "apps-only")!;
  assert.equal(eventForAlert(alert, event("apps", "info", "Applied")).metadata.cluster, "prod");
});

Deno.test("slack and discord payloads follow Slack's attachment format", () => {
  const p = payloadFor("slack", event("apps", "error", "boom"), { channel: "ops" });
  const body = JSON.parse(p.body);
  assert.equal(body.channel, "ops");
  assert.equal(body.attachments[0].color, "danger");
  assert.equal(body.attachments[0].text, "boom");
  assert.equal(payloadFor("discord", event("apps", "info", "x"), {}).pathSuffix, "/slack");
  const teams = JSON.parse(payloadFor("msteams", event("apps", "info", "ok"), {}).body);
  assert.equal(teams.attachments[0].content.type, "AdaptiveCard");
});

Deno.test("delivery retries server errors with backoff, then gives up without the URL", async () => {
  let calls = 0;
  const provider = config.get("Provider", "flux-system", "slack")!;
  const failing = (() => {
    calls++;
    return Promise.resolve(new Response("no", { status: 503 }));
  }) as typeof fetch;
  await assert.rejects(
    () =>
      sendEvent(provider, {}, event("apps", "info", "x"), {
        attempts: 3,
        baseDelayMs: 1,
        fetch: failing,
      }),
    (e) =>
      e instanceof Error && /after retries \(answered 503\)/.test(e.message) &&
      !e.message.includes("hooks.example"),
  );
  assert.equal(calls, 3);
  calls = 0;
  const ok = (() => {
    calls++;
    return Promise.resolve(
      new Response(calls < 2 ? "later" : "ok", { status: calls < 2 ? 429 : 200 }),
    );
  }) as typeof fetch;
  await sendEvent(provider, {}, event("apps", "info", "x"), {
    attempts: 3,
    baseDelayMs: 1,
    fetch: ok,
  });
  assert.equal(calls, 2);
});
