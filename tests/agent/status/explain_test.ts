import assert from "node:assert/strict";
import { explainWaiting, StatusStore } from "../../../agent/status/mod.ts";

Deno.test("explains a waiting Kustomization down to the failing root", () => {
  const s = new StatusStore();
  s.ensure("Kustomization/flux-system/apps", {
    suspended: false,
    dependsOn: ["Kustomization/flux-system/config"],
  });
  s.ensure("Kustomization/flux-system/config", {
    suspended: false,
    dependsOn: ["Kustomization/flux-system/infra"],
  });
  s.ensure("Kustomization/flux-system/infra", { suspended: false });
  s.record("Kustomization/flux-system/infra", {
    ready: "False",
    reason: "HealthCheckFailed",
    message: "Deployment cache/redis not ready: ProgressDeadlineExceeded",
    durationMs: 1,
  });
  s.record("Kustomization/flux-system/config", {
    ready: "False",
    reason: "DependencyNotReady",
    message: "x",
    durationMs: 1,
  });
  assert.equal(
    explainWaiting(s, "Kustomization/flux-system/apps"),
    "apps waits for config, which waits for infra, which failed: Deployment cache/redis not ready: ProgressDeadlineExceeded",
  );
  assert.equal(explainWaiting(s, "Kustomization/flux-system/infra"), undefined);
});

Deno.test("keeps a short history, newest first", () => {
  const s = new StatusStore();
  for (let i = 0; i < 15; i++) {
    s.record("GitRepository/flux-system/fleet", {
      ready: "True",
      reason: "Succeeded",
      message: `m${i}`,
      durationMs: i,
    });
  }
  const st = s.get("GitRepository/flux-system/fleet")!;
  assert.equal(st.history.length, 10);
  assert.equal(st.history[0].message, "m14");
});
