// Reconcile outcomes become Kubernetes Events in the agent's namespace and notifications
// through Alerts: a generic-hmac Provider receives Flux's event JSON, signed with its token.
import assert from "node:assert/strict";
import { hmacHex } from "../../agent/server/mod.ts";
import {
  deployment,
  e2eOpts as opts,
  eventually,
  gitRepository,
  kustomization,
  seedFluxSystem,
  startWorld,
} from "./harness.ts";

Deno.test(
  "outcomes become Kubernetes Events and signed generic-hmac notifications",
  opts,
  async () => {
    const received: { body: string; signature: string | null }[] = [];
    const hook = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
      received.push({ body: await req.text(), signature: req.headers.get("x-signature") });
      return new Response("ok");
    });
    const address = `http://127.0.0.1:${hook.addr.port}/events`;
    const world = await startWorld(
      { "apps/web.yaml": deployment("web"), "broken/bad.yaml": "kind: [x\n" },
      (url) =>
        [
          gitRepository(url, "1h"),
          kustomization("apps", "./apps", { targetNamespace: "default" }, "1h"),
          kustomization("broken", "./broken", {}, "1h"),
          `apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: {name: hooks, namespace: flux-system}
spec: {type: generic-hmac, secretRef: {name: hook-secret}}
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: {name: all, namespace: flux-system}
spec:
  providerRef: {name: hooks}
  summary: cluster one
  eventSources: [{kind: Kustomization, name: "*"}]
  exclusionList: ["^nothing-matches-this$"]
`,
        ].join("---\n"),
    );
    try {
      seedFluxSystem(world.api, { "hook-secret": { address, token: "hmac-token-1" } });
      await world.startAgent();
      await eventually("two notifications", () => received.length >= 2, 15_000, world.logs);
      const events = received.map((r) => JSON.parse(r.body));
      const ok = events.find((e) => e.involvedObject.name === "apps");
      assert.equal(ok.severity, "info");
      assert.equal(ok.reason, "ReconciliationSucceeded");
      assert.equal(ok.metadata.summary, "cluster one");
      assert.match(ok.metadata.revision, /^main@sha1:/);
      const failed = events.find((e) => e.involvedObject.name === "broken");
      assert.equal(failed.severity, "error");
      assert.equal(failed.reason, "BuildFailed");
      for (const r of received) {
        assert.equal(
          r.signature,
          "sha256=" + await hmacHex("SHA-256", "hmac-token-1", new TextEncoder().encode(r.body)),
        );
      }
      const kubeEvents = await eventually("Kubernetes Events", () => {
        const list = world.api.store.list("v1", "Event", "flux-system");
        return list.length >= 2 ? list : undefined;
      });
      const warning = kubeEvents.find((e) => e.type === "Warning")!;
      assert.equal(warning.reason, "BuildFailed");
      assert.match(String(warning.message), /^Kustomization flux-system\/broken: /);
      assert.ok(
        !world.logs.some((l) => l.includes(address)),
        "the webhook address is never logged",
      );
    } finally {
      await world.stop();
      await hook.shutdown();
    }
  },
);
