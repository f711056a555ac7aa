// How `skiff run` wires the presence record: kept without leader election, absent with it (the
// election Lease already keeps a second replica on standby, which is no conflict).
import assert from "node:assert/strict";
import {
  appsConfig,
  configMap,
  configOf,
  e2eOpts as opts,
  eventually,
  seedFluxSystem,
  startWorld,
} from "../../e2e/harness.ts";

const LEADER_ELECTION = `apiVersion: skiff.dev/v1alpha1
kind: Agent
metadata: {name: skiff}
spec:
  leaderElection: {enabled: true, leaseDuration: 3s, renewDeadline: 2s, retryPeriod: 250ms}
`;

for (const leaderElection of [false, true]) {
  Deno.test(
    `with leader election ${leaderElection ? "on, no" : "off, a"} presence record is kept`,
    opts,
    async () => {
      const world = await startWorld(
        { "apps/a.yaml": configMap("a", { v: "1" }) },
        (url) => configOf(...(leaderElection ? [LEADER_ELECTION] : []), appsConfig(url, "1h")),
      );
      try {
        seedFluxSystem(world.api);
        const agents = ["replica-1", "replica-2"].map((identity) =>
          world.startAgent({ identity, presencePeriodMs: 200 })
        );
        const running = await Promise.all(agents);
        try {
          const presence = () =>
            world.api.store.get("coordination.k8s.io/v1", "Lease", "skiff-presence", "flux-system");
          if (!leaderElection) {
            await eventually("the presence record", presence, 5_000, world.logs);
            await eventually(
              "both report the other",
              async () => {
                for (const a of running) {
                  const res = await fetch(`http://127.0.0.1:${a.port}/api/v1/status`);
                  if ((await res.json()).warnings.length !== 1) return false;
                }
                return true;
              },
              5_000,
              world.logs,
            );
            return;
          }
          await eventually(
            "a leader",
            () => world.api.store.get("coordination.k8s.io/v1", "Lease", "skiff", "flux-system"),
            5_000,
            world.logs,
          );
          await new Promise((r) => setTimeout(r, 1_000)); // five presence periods
          assert.equal(presence(), undefined);
          for (const a of running) {
            const res = await fetch(`http://127.0.0.1:${a.port}/api/v1/status`);
            assert.deepEqual((await res.json()).warnings, [], "a standby is no conflict");
          }
        } finally {
          for (const a of running) await a.stop();
        }
      } finally {
        await world.stop();
      }
    },
  );
}
