// A source that has never fetched wakes its consumers when it fails, so they say why they wait
// at once instead of "no artifact fetched yet" until their own retry (an hour here).
import assert from "node:assert/strict";
import { ArtifactStore } from "../../../agent/sources/mod.ts";
import {
  appsConfig,
  configMap,
  e2eOpts as opts,
  eventually,
  startWorld,
} from "../../e2e/harness.ts";

Deno.test("failure listeners hear a source without artifact once per new reason", () => {
  const store = new ArtifactStore();
  const heard: string[] = [];
  store.onFailureWithoutArtifact((source, message) => heard.push(`${source}: ${message}`));
  store.fail("git", "connection refused");
  store.fail("git", "connection refused");
  store.fail("git", "401 Unauthorized");
  store.set("other", { dir: "/x", revision: "r1", digest: "d1" } as never);
  store.fail("other", "a later failure keeps serving the last good artifact");
  assert.deepEqual(heard, ["git: connection refused", "git: 401 Unauthorized"]);
});

Deno.test(
  "a Kustomization explains a source that failed before its first fetch",
  opts,
  async () => {
    const world = await startWorld(
      { "apps/settings.yaml": configMap("settings", { color: "blue" }) },
      (url) => appsConfig(`${url.replace(/\.git$/, "")}-missing.git`, "1h", "1h"),
    );
    try {
      const agent = await world.startAgent();
      const status = await eventually(
        "the Kustomization names the Git failure",
        () => {
          const s = agent.core.statuses.get("Kustomization/flux-system/apps");
          return s?.message && !s.message.includes("no artifact fetched yet") ? s : undefined;
        },
        10_000,
        world.logs,
      );
      assert.equal(status.ready, "False");
      const git = agent.core.statuses.get("GitRepository/flux-system/fleet");
      assert.equal(git?.ready, "False");
      assert.ok(
        status.message!.includes("GitRepository/flux-system/fleet is not ready"),
        status.message,
      );
    } finally {
      await world.stop();
    }
  },
);
