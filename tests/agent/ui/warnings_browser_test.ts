// Two agents on one cluster without leader election, seen in a browser: the status page of the
// first shows the conflict as a banner as soon as its presence record reports the second (no
// reload), server-rendered on the next page view, and the banner goes away when the second
// agent stops. Real agents on the API emulator, Debian's headless Chromium.
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { startAgent } from "../../../agent/run.ts";
import { Logger } from "../../../lib/log/mod.ts";
import { appsConfig, configMap, e2eOpts, eventually, startWorld } from "../../e2e/harness.ts";

const CHROMIUM = "/usr/bin/chromium";

Deno.test({
  name: "the status page shows a second agent on the cluster live, and clears it when it stops",
  ignore: !(await Deno.stat(CHROMIUM).then(() => true, () => false)),
  ...e2eOpts,
  async fn() {
    const world = await startWorld(
      { "apps/a.yaml": configMap("a", { v: "1" }) },
      (url) => appsConfig(url, "1h"),
    );
    const start = (identity: string) =>
      startAgent({
        configPath: world.configPath,
        logger: new Logger({ level: "debug", sink: { write: (l) => world.logs.push(l) } }),
        kubeconfig: world.api.kubeconfigPath,
        serverAddress: "127.0.0.1:0",
        cacheDir: `${world.dir}/cache-${identity}`,
        identity,
        presencePeriodMs: 200,
      });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
    });
    const first = await start("replica-1");
    let second;
    try {
      const url = `http://127.0.0.1:${first.port}/ui/`;
      const tab = await browser.newPage();
      await tab.goto(url);
      await tab.locator("#live:not(.off)").waitFor({ timeout: 5_000 });
      assert.equal(await tab.locator("#warnings").isVisible(), false);

      second = await start("replica-2");
      const banner = tab.locator('#warnings[role="alert"]');
      await banner.waitFor({ state: "visible", timeout: 10_000 });
      assert.match(await banner.textContent() ?? "", /another skiff agent, "replica-2"/);
      assert.match(await banner.textContent() ?? "", /Agent\.spec\.leaderElection/);
      // The same banner, server-rendered, for a page opened now.
      const html = await (await fetch(url)).text();
      assert.match(html, /<section id="warnings"[^>]*role="alert"[\s\S]*replica-2/);

      await second.stop();
      second = undefined;
      await tab.locator("#warnings").waitFor({ state: "hidden", timeout: 10_000 });
      await eventually(
        "the API says it too",
        async () =>
          (await (await fetch(`http://127.0.0.1:${first.port}/api/v1/status`)).json()).warnings
            .length === 0,
        5_000,
        world.logs,
      );
    } finally {
      await browser.close();
      await second?.stop();
      await first.stop();
      await world.stop();
    }
  },
});
