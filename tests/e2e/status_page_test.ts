// The status page in a real browser (Debian's headless Chromium driven by playwright-core)
// against the agent running on the API emulator with a real Git server: the overview lists
// the objects, a pushed commit shows up live, a failing Kustomization shows its root cause,
// and a drift correction appears in the history. Screenshots go to .cache/test-results/.
import assert from "node:assert/strict";
import { type Browser, chromium, type Page } from "playwright-core";
import { KubeClient, loadKubeConfig } from "../../lib/kube/mod.ts";
import { createStatusPage, statusPageSourceFromAgent } from "../../agent/ui/mod.ts";
import type { RunningAgent } from "../../agent/run.ts";
import {
  configMap,
  deployment,
  eventually,
  gitRepository,
  kustomization,
  startWorld,
  type World,
} from "./harness.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARTEFACTS = new URL("../../.cache/test-results/", import.meta.url).pathname;
const opts = { sanitizeResources: false, sanitizeOps: false };

/** The page as the agent serves it: on its own port once mounted, else beside it. */
async function servePage(agent: RunningAgent): Promise<{ url: string; stop(): Promise<void> }> {
  const mounted = await fetch(`http://127.0.0.1:${agent.port}/ui/`).catch(() => undefined);
  const body = await mounted?.text();
  if (mounted?.status === 200 && body?.includes('data-page="overview"')) {
    return { url: `http://127.0.0.1:${agent.port}`, stop: () => Promise.resolve() };
  }
  const source = statusPageSourceFromAgent(agent.core);
  const handle = createStatusPage(source);
  const abort = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: abort.signal, onListen: () => {} },
    async (req) => (await handle(req)) ?? new Response("not found\n", { status: 404 }),
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    async stop() {
      source.close();
      abort.abort();
      await server.finished;
    },
  };
}

function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}

async function rowText(page: Page, key: string): Promise<string> {
  return (await page.locator(`tr[data-key="${key}"]`).textContent()) ?? "";
}

Deno.test({
  name: "the status page shows the agent's objects live, root causes and drift corrections",
  ignore: !(await Deno.stat(CHROMIUM).then(() => true, () => false)),
  ...opts,
  async fn() {
    await Deno.mkdir(ARTEFACTS, { recursive: true });
    const world: World = await startWorld(
      {
        "apps/web.yaml": deployment("web", 2),
        "apps/settings.yaml": configMap("settings", { color: "blue" }),
      },
      (url) =>
        [
          gitRepository(url, "1s"),
          kustomization("apps", "./apps", { targetNamespace: "default" }, "1h"),
          kustomization("infra", "./no-such-dir", {}, "1h"),
          kustomization("monitoring", "./apps", {
            targetNamespace: "monitoring",
            dependsOn: [{ name: "infra" }],
          }, "1h"),
        ].join("---\n"),
    );
    let browser: Browser | undefined;
    let page: { url: string; stop(): Promise<void> } | undefined;
    const admin = new KubeClient(
      await loadKubeConfig({ kubeconfig: world.api.kubeconfigPath, env: {} }),
    );
    try {
      const agent = await world.startAgent();
      const apps = "Kustomization/flux-system/apps";
      const git = "GitRepository/flux-system/fleet";
      await eventually(
        "first sync",
        () => agent.core.statuses.get(apps)?.ready === "True",
        15_000,
        world.logs,
      );
      await eventually(
        "infra to fail and monitoring to wait",
        () =>
          agent.core.statuses.get("Kustomization/flux-system/infra")?.ready === "False" &&
          agent.core.statuses.get("Kustomization/flux-system/monitoring")?.reason ===
            "DependencyNotReady",
        15_000,
        world.logs,
      );
      console.log(JSON.stringify(agent.core.statuses.get("Kustomization/flux-system/monitoring")));
      page = await servePage(agent);
      browser = await launch();
      const tab = await browser.newPage({ viewport: { width: 1280, height: 720 } });

      // The overview lists every object, with the state in words.
      await tab.goto(`${page.url}/ui/`);
      const paint = await tab.evaluate(() => {
        const entry = performance.getEntriesByName("first-contentful-paint")[0];
        return entry ? entry.startTime : -1;
      });
      console.log(`first contentful paint: ${Math.round(paint)} ms`);
      for (const name of ["fleet", "apps", "infra", "monitoring"]) {
        assert.ok(await tab.locator(`tr[data-key$="/${name}"]`).count() === 1, name);
      }
      assert.match(await rowText(tab, apps), /Ready/);
      assert.match(await rowText(tab, "Kustomization/flux-system/infra"), /Failed/);
      assert.match(
        await rowText(tab, "Kustomization/flux-system/monitoring"),
        /monitoring waits for infra, which failed/,
      );
      await tab.locator("#live:not(.off)").waitFor({ timeout: 5_000 });
      await tab.screenshot({ path: `${ARTEFACTS}status-page-overview.png`, fullPage: true });

      // A pushed commit appears without a reload (the GitRepository polls every second).
      await tab.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 1));
      const sha = await world.repo.commit(
        { "apps/settings.yaml": configMap("settings", { color: "green" }) },
        "settings: green",
      );
      const pushed = performance.now();
      await tab.locator(`tr[data-key="${git}"]`, { hasText: sha.slice(0, 7) }).waitFor({
        timeout: 5_000,
      });
      const seen = Math.round(performance.now() - pushed);
      console.log(`commit ${sha.slice(0, 7)} shown on the page ${seen} ms after the push`);
      assert.ok(seen < 2_000, `the commit showed up after ${seen} ms`);
      assert.equal(
        await tab.evaluate(() => (globalThis as unknown as { marker?: number }).marker),
        1,
        "no reload",
      );

      // Filtering works in the browser too.
      await tab.selectOption("select[name=state]", "failed");
      assert.equal(await tab.locator("#rows tr:not([hidden])").count(), 1);
      await tab.selectOption("select[name=state]", "");

      // The waiting Kustomization's page names the root cause.
      await tab.click('a[href="/ui/object/Kustomization/flux-system/monitoring"]');
      const cause = await tab.locator("#root-cause").textContent();
      assert.match(cause ?? "", /monitoring waits for infra, which failed: kustomize build failed/);

      // A manual edit is corrected, and the correction shows in the open page's history.
      await tab.goto(`${page.url}/ui/object/Kustomization/flux-system/apps`);
      await tab.locator("#live:not(.off)").waitFor({ timeout: 5_000 });
      assert.match(await tab.locator("#inventory").textContent() ?? "", /Deployment[\s\S]*web/);
      await admin.patch(
        { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "default" },
        { spec: { replicas: 7 } },
        "merge",
        { fieldManager: "kubectl-edit" },
      );
      await tab.locator("#history .badge", { hasText: "drift corrected" }).first().waitFor({
        timeout: 10_000,
      });
      assert.match(
        await tab.locator("#drift").textContent() ?? "",
        /Deployment default\/web configured/,
      );
      await tab.screenshot({ path: `${ARTEFACTS}status-page-object.png`, fullPage: true });
    } finally {
      await browser?.close();
      await page?.stop();
      admin.transport.close();
      await world.stop();
    }
  },
});
