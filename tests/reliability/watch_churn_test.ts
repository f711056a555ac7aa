// Watches that end every 2 s, as a real API server's request timeout, a restart or a load
// balancer cuts them: a running agent (drift mode `correct`) still reverts manual edits and
// deletions within seconds, loses no event across re-watches (resumed from the last
// resourceVersion; relisted and compared after 410 Expired, even when the object changed while
// the watch was down and the history was compacted), and re-watches about once per end.
import assert from "node:assert/strict";
import {
  adminClient,
  appsConfig,
  configMap,
  deployment,
  e2eOpts as opts,
  eventually,
  replicasOf,
  startWorld,
} from "../e2e/harness.ts";
import { recordScenario } from "./record.ts";

const END_EVERY_MS = 2_000;
/** The kinds the agent watches here: Deployment and ConfigMap. */
const WATCHED_KINDS = 2;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test(
  "watches ending every 2 s: drift still corrected, nothing missed, no hot loop",
  opts,
  async () => {
    const world = await startWorld(
      {
        "apps/web.yaml": deployment("web", 2),
        "apps/settings.yaml": configMap("settings", { a: "1" }),
      },
      (url) => appsConfig(url, "1h"),
    );
    const admin = await adminClient(world.api);
    const api = world.api;
    const settings = () =>
      (api.store.get("v1", "ConfigMap", "settings", "default")?.data as Record<string, string>)?.a;
    const cm = { apiVersion: "v1", kind: "ConfigMap", name: "settings", namespace: "default" };
    const web = { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "default" };
    const edit = (id: typeof cm, patch: Record<string, unknown>) =>
      admin.patch(id, patch, "merge", { fieldManager: "kubectl-edit" });
    const reverted: number[] = [];
    /** Runs a manual change and waits until the agent has put Git's state back. */
    const corrected = async (what: string, change: () => Promise<unknown>, back: () => boolean) => {
      await change();
      const started = performance.now();
      await eventually(what, back, 5_000, world.logs);
      reverted.push(performance.now() - started);
    };
    try {
      // From the start, so the agent's first watches end too; cleanly: each re-watch resumes
      // from the last resourceVersion.
      const clean = api.faults.endWatches(END_EVERY_MS);
      const agent = await world.startAgent();
      await eventually(
        "first sync",
        () => replicasOf(api, "web") === 2 && settings() === "1",
        15_000,
        world.logs,
      );
      await sleep(300); // the drift watches start
      const watchesBefore = api.stats.byVerb.watch ?? 0;
      const listsBefore = api.stats.byVerb.list ?? 0;
      const requestsBefore = agent.core.client.transport.stats.requests;
      const started = Date.now();
      let faults = 0;

      // 10 s of watches ending cleanly.
      await sleep(2_500);
      await corrected(
        "edit reverted",
        () => edit(web, { spec: { replicas: 7 } }),
        () => replicasOf(api, "web") === 2,
      );
      await corrected("deletion reverted", () => admin.delete(cm), () => settings() === "1");
      await sleep(Math.max(0, started + 10_000 - Date.now()));
      faults += api.faults.list().find((f) => f.id === clean)!.fired;
      api.faults.remove(clean);

      // 10 s of watches ending with 410 Expired: each end is a relist compared with the inventory.
      const expired = api.faults.endWatches(END_EVERY_MS, { expired: true });
      await sleep(2_500);
      await corrected(
        "edit reverted after relists",
        () => edit(cm, { data: { a: "manual" } }),
        () => settings() === "1",
      );
      await corrected(
        "deletion reverted after relists",
        () => admin.delete(web),
        () => replicasOf(api, "web") === 2,
      );
      await sleep(Math.max(0, started + 20_000 - Date.now()));
      faults += api.faults.list().find((f) => f.id === expired)!.fired;
      api.faults.remove(expired);
      const seconds = (Date.now() - started) / 1000;
      const watches = (api.stats.byVerb.watch ?? 0) - watchesBefore;
      const lists = (api.stats.byVerb.list ?? 0) - listsBefore;
      const requests = agent.core.client.transport.stats.requests - requestsBefore;
      const ends = WATCHED_KINDS * Math.ceil(seconds * 1000 / END_EVERY_MS);
      console.log(
        `${seconds.toFixed(1)} s of churn: ${watches} watch and ${lists} list requests ` +
          `(≈${ends} ends), ${requests} agent requests in all`,
      );
      // About one re-watch per end (plus the re-watches of the 4 corrections' own churn).
      assert.ok(watches <= ends + 2 * WATCHED_KINDS, `${watches} watches for ≈${ends} ends`);
      // A relist for each 410 (half of the ends), nothing for the clean ones.
      assert.ok(lists <= ends / 2 + 2 * WATCHED_KINDS, `${lists} lists for ≈${ends / 2} 410s`);
      assert.ok(requests / seconds < 10, `${(requests / seconds).toFixed(1)} requests/s`);

      // A server that ends every watch at once: re-watches are paced, not a tight loop.
      const instant = api.faults.endWatches(0);
      await sleep(300); // the streams opened under the 2 s rule end
      const instantBefore = api.stats.byVerb.watch ?? 0;
      await sleep(2_000);
      const perSecond = ((api.stats.byVerb.watch ?? 0) - instantBefore) / 2 / WATCHED_KINDS;
      faults += api.faults.list().find((f) => f.id === instant)!.fired;
      api.faults.remove(instant);
      console.log(`watches ending at once: ${perSecond.toFixed(1)} re-watches/s per kind`);
      assert.ok(perSecond <= 6, `${perSecond.toFixed(1)} re-watches/s per kind: a hot loop`);

      // The watch is down while the object changes and the history is compacted: the resumed
      // watch gets 410, and the relist must show the change (a changed object, then a deletion).
      api.faults.endWatches(END_EVERY_MS);
      for (
        const [what, change, back] of [
          [
            "edit while the watch was down",
            () => edit(cm, { data: { a: "gap" } }),
            () => settings() === "1",
          ],
          ["deletion while the watch was down", () => admin.delete(cm), () => settings() === "1"],
        ] as const
      ) {
        const gap = api.faults.latency(1_500, { verb: "watch", resource: "configmaps" });
        await eventually(
          "a re-watch of ConfigMaps in flight",
          () => api.faults.list().find((f) => f.id === gap)!.matched > 0,
          5_000,
        );
        api.faults.remove(gap); // the request already waits; later ones do not
        await corrected(what, async () => {
          await change();
          api.store.compact();
        }, back);
        faults += 2;
      }
      assert.equal(replicasOf(api, "web"), 2);
      const worst = Math.max(...reverted);
      console.log(`corrections took ${reverted.map((ms) => Math.round(ms)).join(", ")} ms`);
      await recordScenario("watch-churn", {
        faultsInjected: faults,
        note: `${reverted.length} changes reverted in ≤ ${(worst / 1000).toFixed(1)} s; ` +
          `${watches} watches, ${lists} lists in ${Math.round(seconds)} s (≈${ends} ends); ` +
          `ended at once: ${perSecond.toFixed(1)} re-watches/s per kind`,
      });
    } finally {
      admin.transport.close();
      await world.stop();
    }
  },
);
