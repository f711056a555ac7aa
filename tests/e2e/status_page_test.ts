// The status page in a real browser (Debian's headless Chromium driven by playwright-core)
// against the agent running on the API emulator with a real Git server: the overview lists
// the objects, a pushed commit shows up live, a failing Kustomization shows its root cause,
// and a drift correction appears in the history. Screenshots go to .cache/test-results/.
import assert from "node:assert/strict";
import { type Browser, chromium, type Page } from "playwright-core";
import { KubeClient, loadKubeConfig } from "../../lib/kube/mod.ts";
import { createStatusPage, statusPageSourceFromAgent } from "../../agent/ui/mod.ts";
import type { RunningAgent } from "../../agent/run.ts";
import { pushImage, startRegistry, type TestRegistry } from "../support/registry.ts";
import { e2eOpts as opts, eventually, kustomization, startWorld, type World } from "./harness.ts";

const CHROMIUM = "/usr/bin/chromium";
const DEMO = new URL("../../demo/", import.meta.url).pathname;
const ARTEFACTS = new URL("../../.cache/test-results/", import.meta.url).pathname;
/** The page as the agent serves it: on its own port once mounted, else beside it. */
async function servePage(agent: RunningAgent): Promise<{ url: string; stop(): Promise<void> }> {
  const mounted = await fetch(`http://127.0.0.1:${agent.port}/ui/`).catch(() => undefined);
  const body = await mounted?.text();
  if (mounted?.status === 200 && body?.includes('data-page="overview"')) {
    console.log("the status page is served on the agent's own port");
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

async function readTree(dir: string, prefix = ""): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) Object.assign(files, await readTree(path, `${prefix}${e.name}/`));
    else files[`${prefix}${e.name}`] = await Deno.readTextFile(path);
  }
  return files;
}

/**
 * The demo's config (demo/demo.yaml and its image automation, demo/images.yaml) on its
 * repository, polled twice a second, plus a Kustomization whose path is missing and one that
 * depends on it.
 */
async function demoConfig(url: string, registry: string): Promise<string> {
  const demo = (await Deno.readTextFile(`${DEMO}demo.yaml`))
    .replace(/url: http:\/\/127\.0\.0\.1:3000\/payment-service\.git.*/, `url: ${url}`)
    .replace("interval: 2s", "interval: 500ms");
  const source = { kind: "GitRepository", name: "payment-service" };
  const images = (await Deno.readTextFile(`${DEMO}images.yaml`)).replaceAll("REGISTRY", registry);
  return [
    demo,
    images,
    kustomization("infra", "./deploy/no-such-dir", { sourceRef: source }, "1h"),
    kustomization("monitoring", "./deploy/base", {
      sourceRef: source,
      targetNamespace: "monitoring",
      dependsOn: [{ name: "infra" }],
    }, "1h"),
  ].join("---\n");
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
    // The tag the demo's overlays already use is the newest: the automation has nothing to
    // commit, so every revision change below is the test's own commit.
    const registry: TestRegistry = await startRegistry();
    await pushImage(registry, "payment-api", ["0.9.0", "1.0.0"]);
    const demoUrl = "http://git.invalid/payment-service.git";
    const config = await demoConfig(demoUrl, registry.host);
    const world: World = await startWorld(
      await readTree(`${DEMO}repo`),
      (url) => config.replace(demoUrl, url),
    ).catch(async (e) => {
      await registry.stop();
      throw e;
    });
    let browser: Browser | undefined;
    let page: { url: string; stop(): Promise<void> } | undefined;
    const admin = new KubeClient(
      await loadKubeConfig({ kubeconfig: world.api.kubeconfigPath, env: {} }),
    );
    try {
      const agent = await world.startAgent();
      const production = "Kustomization/flux-system/payment-production";
      const git = "GitRepository/flux-system/payment-service";
      await eventually(
        "first sync of every overlay",
        () => agent.core.statuses.get(production)?.ready === "True",
        30_000,
        world.logs,
      );
      await eventually(
        "the image policy to select a tag",
        () => agent.core.statuses.get("ImagePolicy/flux-system/payment-api")?.ready === "True",
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
      page = await servePage(agent);
      browser = await launch();
      const tab = await browser.newPage({ viewport: { width: 1280, height: 720 } });

      // The overview lists every object, with the state in words.
      const firstPaint = () =>
        tab.evaluate(() =>
          new Promise<number>((resolve) => {
            new PerformanceObserver((list) => {
              const fcp = list.getEntries().find((e) => e.name === "first-contentful-paint");
              if (fcp) resolve(fcp.startTime);
            }).observe({ type: "paint", buffered: true });
            setTimeout(() => resolve(-1), 2_000);
          })
        );
      // The first load pays for a fresh browser (renderer start, fonts); an operator's browser
      // is already running, so the budget applies from the second load on.
      await tab.goto(`${page.url}/ui/`);
      const cold = await firstPaint();
      await tab.goto(`${page.url}/ui/?sort=name`);
      await tab.goto(`${page.url}/ui/`);
      const paint = await firstPaint();
      console.log(
        `first contentful paint: ${Math.round(paint)} ms (fresh browser: ${Math.round(cold)} ms)`,
      );
      // Measured 76-156 ms here, and up to 384 ms with the machine loaded by parallel test runs;
      // the bound still catches a page that waits on something slow before painting.
      assert.ok(paint >= 0 && paint < 1_500, `first contentful paint after ${paint} ms`);
      for (
        const name of [
          "payment-service",
          "payment-dev",
          "payment-staging",
          "payment-production",
          "infra",
          "monitoring",
        ]
      ) {
        assert.ok(await tab.locator(`tr[data-key$="/${name}"]`).count() === 1, name);
      }
      assert.match(await rowText(tab, production), /Ready/);
      assert.match(await rowText(tab, "Kustomization/flux-system/infra"), /Failed/);
      assert.match(
        await rowText(tab, "Kustomization/flux-system/monitoring"),
        /monitoring waits for infra, which failed/,
      );
      await tab.locator("#live:not(.off)").waitFor({ timeout: 5_000 });
      await tab.screenshot({ path: `${ARTEFACTS}status-page-overview.png`, fullPage: true });

      // A pushed commit appears without a reload (the GitRepository polls twice a second).
      await tab.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 1));
      const staging = "deploy/overlays/staging/kustomization.yaml";
      const current = await Deno.readTextFile(`${world.repo.work}/${staging}`);
      const sha = await world.repo.commit(
        { [staging]: current.replace("count: 2", "count: 4") },
        "staging: scale payment-api to 4",
      );
      const pushed = performance.now();
      // Shown without a reload is the point (checked below); the latency (~300 ms, up to ~1 s on
      // a loaded machine) gets a bound with room for a busy CI machine.
      await tab.locator(`tr[data-key="${git}"]`, { hasText: sha.slice(0, 7) }).waitFor({
        timeout: 10_000,
      });
      const seen = Math.round(performance.now() - pushed);
      console.log(`commit ${sha.slice(0, 7)} shown on the page ${seen} ms after the push`);
      assert.ok(seen < 5_000, `the commit showed up after ${seen} ms`);
      assert.equal(
        await tab.evaluate(() => (globalThis as unknown as { marker?: number }).marker),
        1,
        "no reload",
      );

      // Filtering works in the browser too.
      await tab.selectOption("select[name=state]", "failed");
      assert.equal(await tab.locator("#rows tr:not([hidden])").count(), 1);
      await tab.selectOption("select[name=state]", "");

      // The image policy shows the selected tag and the tags seen.
      assert.match(await rowText(tab, "ImagePolicy/flux-system/payment-api"), /1\.0\.0/);
      await tab.click('a[href="/ui/object/ImagePolicy/flux-system/payment-api"]');
      assert.match(
        await tab.locator("#images").textContent() ?? "",
        /Latest image: 127\.0\.0\.1:\d+\/payment-api:1\.0\.0[\s\S]*2 tags seen[\s\S]*1\.0\.0\s*0\.9\.0/,
      );
      await tab.goto(`${page.url}/ui/`);

      // Without JavaScript the static parts work: the filter form, the links, the keyboard.
      const noScript = await browser.newContext({ javaScriptEnabled: false });
      const plain = await noScript.newPage();
      await plain.goto(`${page.url}/ui/`);
      await plain.selectOption("select[name=state]", "failed");
      await plain.click("form.filters button[type=submit]");
      assert.match(plain.url(), /state=failed/);
      assert.equal(await plain.locator("#rows tr").count(), 1);
      await plain.keyboard.press("Tab");
      assert.equal(await plain.locator(":focus").textContent(), "Skip to content");
      await noScript.close();

      // The waiting Kustomization's page names the root cause.
      await tab.click('a[href="/ui/object/Kustomization/flux-system/monitoring"]');
      const cause = await tab.locator("#root-cause").textContent();
      assert.match(cause ?? "", /monitoring waits for infra, which failed: kustomize build failed/);

      // A manual edit is corrected, and the correction shows in the open page's history.
      await tab.goto(`${page.url}/ui/object/${production}`);
      await tab.locator("#live:not(.off)").waitFor({ timeout: 5_000 });
      assert.match(
        await tab.locator("#inventory").textContent() ?? "",
        /production[\s\S]*Deployment[\s\S]*payment-api/,
      );
      await admin.patch(
        {
          apiVersion: "apps/v1",
          kind: "Deployment",
          name: "payment-api",
          namespace: "production",
        },
        { spec: { replicas: 10 } },
        "merge",
        { fieldManager: "kubectl-edit" },
      );
      await tab.locator("#history .badge", { hasText: "drift corrected" }).first().waitFor({
        timeout: 10_000,
      });
      assert.match(
        await tab.locator("#drift").textContent() ?? "",
        /Deployment production\/payment-api configured/,
      );
      await tab.screenshot({ path: `${ARTEFACTS}status-page-object.png`, fullPage: true });
    } finally {
      await browser?.close();
      await page?.stop();
      admin.transport.close();
      await world.stop();
      await registry.stop();
    }
  },
});
