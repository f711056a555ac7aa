// An open object page in a real browser (Debian's headless Chromium): a section that appears
// (a source's first consumer, after a config reload) takes its place among the others, and a
// changed section is replaced in place.
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { objectKey, StatusStore } from "../../../agent/status/mod.ts";
import { createStatusPage, statusPageSourceFromStore } from "../../../agent/ui/mod.ts";

const CHROMIUM = "/usr/bin/chromium";
const OCI = objectKey("OCIRepository", "flux-system", "apps");
const APPS = objectKey("Kustomization", "flux-system", "apps");

Deno.test({
  name: "an open page shows a new section in order and updates a changed one",
  ignore: !(await Deno.stat(CHROMIUM).then(() => true, () => false)),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const store = new StatusStore();
    const consumers = new Map<string, string>();
    const source = statusPageSourceFromStore(store, { sourceOf: (k) => consumers.get(k) });
    const record = (key: string, ready: "True" | "False", reason: string) =>
      store.record(key, { ready, reason, message: reason, durationMs: 1 });
    store.ensure(OCI, { suspended: false });
    record(OCI, "True", "Succeeded");
    const handle = createStatusPage(source);
    const abort = new AbortController();
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, signal: abort.signal, onListen: () => {} },
      async (req) => (await handle(req)) ?? new Response("not found\n", { status: 404 }),
    );
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
    });
    try {
      const tab = await browser.newPage();
      await tab.goto(`http://127.0.0.1:${server.addr.port}/ui/object/${OCI}`);
      await tab.locator("#live:not(.off)").waitFor({ timeout: 5_000 });
      assert.equal(await tab.locator("#used-by").count(), 0);

      // A config reload adds a Kustomization of this source; the source runs again.
      consumers.set(APPS, OCI);
      store.ensure(APPS, { suspended: false });
      record(APPS, "False", "ArtifactFailed");
      record(OCI, "True", "Succeeded");
      await tab.locator("#used-by .s-waiting").waitFor({ timeout: 5_000 });
      const order = await tab.locator("#details > section").evaluateAll((s) => s.map((e) => e.id));
      assert.deepEqual(order, ["facts", "chain", "used-by", "history", "config"]);

      // The consumer gets Ready: its badge changes in place, the unchanged config section stays.
      // (A property, not an attribute: an attribute would change the section's HTML.)
      await tab.locator("#config").evaluate((e) => Object.assign(e, { kept: true }));
      record(APPS, "True", "ReconciliationSucceeded");
      await tab.locator("#used-by .s-ready").waitFor({ timeout: 5_000 });
      assert.equal(await tab.locator("#config").evaluate((e) => "kept" in e), true);
    } finally {
      await browser.close();
      source.close();
      abort.abort();
      await server.finished;
    }
  },
});
