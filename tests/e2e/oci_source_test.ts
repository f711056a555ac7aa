// User story: manifests published as OCI artifacts (`skiff push artifact`, as `flux push
// artifact`) to a real registry, synced by a running agent through an OCIRepository with a
// semver range; a corrupt layer leaves the last good artifact (and the cluster) as they were.
import assert from "node:assert/strict";
import { main } from "../../main.ts";
import { diffCommand } from "../../agent/cli/diff.ts";
import { Logger } from "../../lib/log/mod.ts";
import { pushHelmChart, startRegistry } from "../support/registry.ts";
import { chartEntries, tgz } from "../support/tar_writer.ts";
import {
  configOf,
  deployment,
  e2eOpts as opts,
  eventually,
  replicasOf,
  startWorld,
} from "./harness.ts";

/** A proxy in front of the registry that can corrupt blob downloads (bit rot, a bad mirror). */
function corruptingProxy(upstream: string) {
  const state = { corrupt: false };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const url = new URL(req.url);
    const res = await fetch(`${upstream}${url.pathname}${url.search}`, {
      method: req.method,
      headers: req.headers,
      body: req.body,
    });
    if (!(state.corrupt && req.method === "GET" && url.pathname.includes("/blobs/sha256:"))) {
      return res;
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    bytes[bytes.length - 1] ^= 0xff;
    return new Response(bytes, { status: res.status, headers: res.headers });
  });
  return { host: `127.0.0.1:${server.addr.port}`, state, stop: () => server.shutdown() };
}

async function push(dir: string, host: string, tag: string, replicas: number): Promise<void> {
  const path = `${dir}/artifact-${tag}`;
  await Deno.mkdir(path, { recursive: true });
  await Deno.writeTextFile(`${path}/web.yaml`, deployment("web", replicas));
  await Deno.writeTextFile(
    `${path}/kustomization.yaml`,
    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [web.yaml]\n",
  );
  const code = await main([
    "push",
    "artifact",
    `oci://${host}/fleet/apps:${tag}`,
    "--path",
    path,
    "--source",
    "https://git.example.com/fleet",
    "--revision",
    `main@sha1:${"0".repeat(39)}${replicas}`,
    "--insecure-registry",
    "-o",
    "json",
  ]);
  assert.equal(code, 0, `skiff push artifact ${tag}`);
}

const ociConfig = (host: string) =>
  configOf(
    `apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 1s
  url: oci://${host}/fleet/apps
  insecure: true
  ref: {semver: ">=1.0.0"}
`,
    `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 1h
  path: ./
  prune: true
  targetNamespace: default
  sourceRef: {kind: OCIRepository, name: apps}
`,
  );

Deno.test(
  "syncs a Kustomization from an OCI artifact, follows new semver tags, survives a corrupt layer",
  opts,
  async () => {
    const registry = await startRegistry();
    const proxy = corruptingProxy(registry.url);
    let world;
    try {
      world = await startWorld({ "README.md": "unused" }, () => ociConfig(proxy.host));
      await push(world.dir, registry.host, "1.0.0", 1);

      // `skiff diff` pulls the artifact as the agent would and shows what it would create.
      const captured: string[] = [];
      const write = Deno.stdout.writeSync;
      Deno.stdout.writeSync = (
        p: Uint8Array,
      ) => (captured.push(new TextDecoder().decode(p)), p.length);
      let code;
      try {
        code = await diffCommand({
          config: world.configPath,
          kubeconfig: world.api.kubeconfigPath,
          cacheDir: `${world.dir}/diff-cache`,
          output: "json",
        }, new Logger({ sink: { write: (l) => world!.logs.push(l) } }));
      } finally {
        Deno.stdout.writeSync = write;
      }
      assert.equal(code, 1, "the Deployment would be created");
      const report = JSON.parse(captured.join(""));
      assert.deepEqual(
        report[0].changes.map((c: { object: string; action: string }) => `${c.object} ${c.action}`),
        [
          "Deployment/default/web created",
        ],
      );

      const agent = await world.startAgent();
      const source = "OCIRepository/flux-system/apps";
      const apps = "Kustomization/flux-system/apps";

      await eventually("first sync", () => replicasOf(world!.api, "web") === 1, 20_000, world.logs);
      const first = await eventually(
        "Kustomization Ready",
        () => {
          const s = agent.core.statuses.get(apps);
          return s?.ready === "True" ? s : undefined;
        },
        10_000,
        world.logs,
      );
      assert.match(first.revision ?? "", /^1\.0\.0@sha256:[0-9a-f]{64}$/);
      assert.equal(agent.core.statuses.get(source)?.revision, first.revision);
      assert.match(agent.core.statuses.get(source)?.message ?? "", /stored artifact for digest/);

      // A newer tag in the range: the source picks it up on its interval, the consumer follows.
      await push(world.dir, registry.host, "1.1.0", 3);
      await eventually(
        "1.1.0 synced",
        () => replicasOf(world!.api, "web") === 3,
        20_000,
        world.logs,
      );
      await eventually(
        "Kustomization at 1.1.0",
        () => agent.core.statuses.get(apps)?.revision?.startsWith("1.1.0@"),
        10_000,
        world.logs,
      );

      // 1.2.0 arrives through a mirror that corrupts blobs: the layer fails its digest check.
      proxy.state.corrupt = true;
      await push(world.dir, registry.host, "1.2.0", 5);
      const failed = await eventually(
        "source Ready=False",
        () => {
          const s = agent.core.statuses.get(source);
          return s?.ready === "False" ? s : undefined;
        },
        20_000,
        world.logs,
      );
      assert.match(failed.message, /does not match/);
      assert.equal(failed.reason, "OCIArtifactPullFailed");
      // The last good artifact stays served and the cluster stays as it was.
      assert.match(agent.core.artifacts.get(source)?.revision ?? "", /^1\.1\.0@/);
      assert.equal(replicasOf(world.api, "web"), 3);
      assert.equal(agent.core.statuses.get(apps)?.ready, "True");

      // The mirror is fixed: 1.2.0 is pulled and applied.
      proxy.state.corrupt = false;
      await eventually(
        "1.2.0 synced",
        () => replicasOf(world!.api, "web") === 5,
        20_000,
        world.logs,
      );
      assert.equal(agent.core.statuses.get(source)?.ready, "True");
    } finally {
      await world?.stop();
      await proxy.stop();
      await registry.stop();
    }
  },
);

Deno.test(
  "a HelmRelease installs the chart of an OCIRepository pinned by digest (chartRef)",
  opts,
  async () => {
    const registry = await startRegistry();
    let world;
    try {
      const archive = await tgz(chartEntries("webapp")) as Uint8Array<ArrayBuffer>;
      const { digest } = await pushHelmChart(
        registry,
        "charts/webapp",
        { name: "webapp", version: "0.1.0" },
        archive,
      );
      world = await startWorld({ "README.md": "unused" }, () =>
        configOf(
          `apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata: {name: webapp, namespace: flux-system}
spec:
  interval: 1h
  url: oci://${registry.host}/charts/webapp
  insecure: true
  ref: {digest: "${digest}"}
  layerSelector:
    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
    operation: copy
`,
          `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: web, namespace: flux-system}
spec:
  interval: 1h
  timeout: 10s
  targetNamespace: apps
  storageNamespace: apps
  releaseName: web
  install: {createNamespace: true}
  chartRef: {kind: OCIRepository, name: webapp}
  values: {greeting: ahoy}
`,
        ));
      const agent = await world.startAgent();
      const cm = await eventually(
        "release installed",
        () => world!.api.store.get("v1", "ConfigMap", "web", "apps"),
        20_000,
        world.logs,
      );
      assert.deepEqual(cm.data, { g: "ahoy" });
      const status = await eventually(
        "HelmRelease Ready",
        () => {
          const s = agent.core.statuses.get("HelmRelease/flux-system/web");
          return s?.ready === "True" ? s : undefined;
        },
        10_000,
        world.logs,
      );
      assert.equal(agent.core.statuses.get("OCIRepository/flux-system/webapp")?.revision, digest);
      assert.equal(status.revision, digest);
    } finally {
      await world?.stop();
      await registry.stop();
    }
  },
);
