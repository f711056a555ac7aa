// A real-world-shaped chart (testdata/shop): helpers, Deployment + Service + Ingress + HPA +
// ConfigMap + Secret, a library chart, an aliased subchart gated by a condition, a packaged
// subchart exporting values, global values, hooks, tests, NOTES.txt and crds/.
import assert from "node:assert/strict";
import { copy } from "./copy_dir.ts";
import { chartEntries, tgz } from "../../support/tar_writer.ts";
import {
  formatTemplateOutput,
  helmTemplate,
  loadChart,
  mergeValues,
  renderChart,
  type RenderedChart,
  RenderError,
} from "../../../lib/helm/mod.ts";
import { parseGoYaml } from "../../../lib/helm/values/go_yaml.ts";

const source = new URL("./testdata/shop", import.meta.url).pathname;

async function shopChart(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await Deno.makeTempDir();
  await copy(source, `${dir}/shop`);
  // The packaged subchart exports values its parent imports (import-values).
  const metrics = chartEntries("metrics").map((e) =>
    e.name === "metrics/values.yaml"
      ? {
        ...e,
        data:
          "exports:\n  dashboard:\n    title: from child\n    refresh: 30s\n  defaults:\n    scrapeInterval: 15s\n",
      }
      : e
  );
  await Deno.writeFile(`${dir}/shop/charts/metrics-0.1.0.tgz`, await tgz(metrics));
  return { dir: `${dir}/shop`, cleanup: () => Deno.remove(dir, { recursive: true }) };
}

function docs(out: string): Array<{ source: string; obj: Record<string, unknown> }> {
  return out.split(/^---\n/m).filter((d) => d.trim() !== "").map((d) => {
    const source = /^# Source: (.*)$/m.exec(d)![1];
    return { source, obj: parseGoYaml(d, source) as Record<string, unknown> };
  });
}

function get(o: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>(
    (v, k) => (v as Record<string, unknown> | undefined)?.[k],
    o,
  );
}

async function render(
  values: string[] = [],
  extra: Partial<Parameters<typeof helmTemplate>[0]> = {},
) {
  const { dir, cleanup } = await shopChart();
  try {
    return await helmTemplate({
      chart: dir,
      releaseName: "prod",
      namespace: "shop",
      values,
      ...extra,
    });
  } finally {
    await cleanup();
  }
}

Deno.test("renders the shop chart in install order with hooks last", async () => {
  const out = await render();
  const all = docs(out);
  assert.deepEqual(all.map((d) => `${d.obj.kind} ${d.source}`), [
    "ServiceAccount shop/templates/serviceaccount.yaml",
    "Secret shop/templates/secret.yaml",
    "ConfigMap shop/charts/metrics/templates/cm.yaml",
    "ConfigMap shop/templates/configmap.yaml",
    "Service shop/templates/service.yaml",
    "Deployment shop/templates/deployment.yaml",
    "HorizontalPodAutoscaler shop/templates/hpa.yaml",
    "StatefulSet shop/charts/cache/templates/statefulset.yaml",
    "Ingress shop/templates/ingress.yaml",
    // Hooks follow, sorted by kind too.
    "Pod shop/templates/tests/test-connection.yaml",
    "Job shop/templates/migrate-job.yaml",
  ]);
  assert.ok(
    !out.includes("NOTES") && !out.includes("Visit https://"),
    "NOTES.txt is not a manifest",
  );
  assert.ok(!out.includes("library-charts-do-not-render-this"), "library charts only lend helpers");
  assert.ok(!out.includes("CustomResourceDefinition"), "crds/ only with --include-crds");
});

Deno.test("helpers, library labels, globals and values reach every template", async () => {
  const all = docs(await render());
  const byKind = (k: string) => all.find((d) => d.obj.kind === k)!.obj;
  const deploy = byKind("Deployment");
  assert.equal(get(deploy, "metadata.name"), "prod-shop");
  assert.deepEqual(get(deploy, "metadata.labels"), {
    "helm.sh/chart": "shop-2.3.1",
    "app.kubernetes.io/name": "shop",
    "app.kubernetes.io/instance": "prod",
    "app.kubernetes.io/managed-by": "Helm",
    "app.kubernetes.io/version": "5.1.0",
  });
  assert.equal(get(deploy, "spec.replicas"), undefined, "the HPA owns replicas");
  const container = (get(deploy, "spec.template.spec.containers") as Record<string, unknown>[])[0];
  assert.equal(container.image, "registry.example.com/shop/web:5.1.0");
  assert.deepEqual(container.resources, {
    limits: { cpu: "1", memory: "512Mi" },
    requests: { cpu: "250m", memory: "256Mi" },
  });
  assert.match(
    String(get(deploy, "spec.template.metadata.annotations.checksum/config")),
    /^[0-9a-f]{64}$/,
  );
  const cm = all.find((d) => d.source === "shop/templates/configmap.yaml")!.obj;
  assert.deepEqual(get(cm, "data"), {
    GREETING: "Welcome to prod",
    CURRENCY: "EUR",
    MAX_ITEMS: "100",
    ENVIRONMENT: "production",
    DASHBOARD_TITLE: "parent wins",
    DASHBOARD_REFRESH: "30s",
    SCRAPE_INTERVAL: "15s",
    LOOKUP_EMPTY: "true",
    "app.properties": "shop.title=My Shop\nshop.items=100\n",
    "a.conf": "a=1\n",
    "b.conf": "b=2\n",
  });
  assert.equal(get(byKind("Secret"), "data.API_KEY"), btoa("changeme"));
  const sts = byKind("StatefulSet");
  assert.equal(get(sts, "metadata.name"), "prod-cache", "the alias names the subchart");
  assert.equal(get(sts, "metadata.labels.environment"), "production", "parent globals win");
  const image = (get(sts, "spec.template.spec.containers") as Record<string, unknown>[])[0].image;
  assert.equal(image, "registry.example.com/cache/redis:7.2");
  const ingress = byKind("Ingress");
  assert.equal(ingress.apiVersion, "networking.k8s.io/v1");
  assert.deepEqual(get(ingress, "metadata.annotations"), {
    "cert-manager.io/cluster-issuer": "letsencrypt",
  });
});

Deno.test("hooks carry their events, weight and delete policies", async () => {
  const { dir, cleanup } = await shopChart();
  try {
    const r: RenderedChart = renderChart(await loadChart(dir), {}, {
      releaseName: "prod",
      namespace: "shop",
    });
    const job = r.hooks.find((h) => h.kind === "Job")!;
    assert.deepEqual(job.events, ["pre-install", "pre-upgrade"]);
    assert.equal(job.weight, -5);
    assert.deepEqual(job.deletePolicies, ["before-hook-creation", "hook-succeeded"]);
    assert.equal(r.notes, "Visit https://shop.example.com to shop.\n");
    assert.deepEqual(r.crds.map((c) => c.filename), ["shop/crds/orders.yaml"]);
    const withCrds = formatTemplateOutput(r, { includeCrds: true, skipTests: true });
    assert.ok(withCrds.startsWith("---\n# Source: shop/crds/orders.yaml\n"));
    assert.ok(!withCrds.includes("test-connection"));
  } finally {
    await cleanup();
  }
});

Deno.test("conditions, --set and the Kubernetes version change what is rendered", async () => {
  const off = docs(
    await render(["cache.enabled=false", "autoscaling.enabled=false", "replicaCount=3"]),
  );
  assert.ok(!off.some((d) => d.obj.kind === "StatefulSet"), "cache disabled by its condition");
  assert.ok(!off.some((d) => d.obj.kind === "HorizontalPodAutoscaler"));
  const deploy = off.find((d) => d.obj.kind === "Deployment")!.obj;
  assert.equal(get(deploy, "spec.replicas"), 3);
  assert.ok(!JSON.stringify(deploy).includes("CACHE_HOST"));
});

Deno.test("the chart's kubeVersion constraint is checked", async () => {
  await assert.rejects(
    () => render([], { kubeVersion: "1.18.0" }),
    /chart requires kubeVersion: >=1.19.0-0 which is incompatible with Kubernetes v1.18.0/,
  );
});

Deno.test("required values fail with Helm's message and location", async () => {
  await assert.rejects(
    () => render(["secrets.apiKey=null"]),
    (e) =>
      e instanceof RenderError &&
      e.message ===
        "execution error at (shop/templates/secret.yaml:7:14): secrets.apiKey is required",
  );
});

Deno.test("values files and --set layer over the chart's values", async () => {
  const v = mergeValues({
    files: [{ path: "prod.yaml", text: "image:\n  tag: 9.9.9\n" }],
    values: ["global.imageRegistry=ghcr.io"],
  });
  const { dir, cleanup } = await shopChart();
  try {
    const r = renderChart(await loadChart(dir), v, { releaseName: "prod" });
    const deploy = r.manifests.find((m) => m.kind === "Deployment")!;
    assert.match(deploy.content, /image: "ghcr.io\/shop\/web:9.9.9"/);
    const sts = r.manifests.find((m) => m.kind === "StatefulSet")!;
    assert.match(sts.content, /image: ghcr.io\/cache\/redis:7.2/);
  } finally {
    await cleanup();
  }
});
