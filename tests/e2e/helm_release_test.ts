// The HelmRelease story against the API emulator, a chart repository served over HTTP from the
// test (index.yaml + .tgz) and a real OCI registry: install → values change upgrade → chart
// version upgrade → a failed upgrade remediated by rollback → retries exhausted → uninstall;
// the release Secrets decoded by Helm's own Go structs; the same chart pulled over OCI.
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfigText } from "../../agent/config/mod.ts";
import {
  finalizeHelmRelease,
  helmReleaseLabels,
  reconcileHelmRelease,
} from "../../agent/reconcile/helm_release.ts";
import type { Outcome, ReconcileEnv } from "../../agent/reconcile/types.ts";
import {
  diffHelmRelease,
  helmReleaseState,
  mergeMaps,
  valuesDigest,
} from "../../agent/helmrelease/mod.ts";
import { objectKey } from "../../agent/status/mod.ts";
import { ReleaseStorage } from "../../lib/helm/release/mod.ts";
import type { KubeObject } from "../../lib/kube/mod.ts";
import { parseOne } from "../../lib/yaml/mod.ts";
import { Logger } from "../../lib/log/mod.ts";
import { type Cluster, startCluster } from "../lib/kube/emulator_client.ts";
import { goRelease } from "../lib/helm/release/go_release.ts";
import { type TarEntry, tgz } from "../support/tar_writer.ts";
import { pushHelmChart, startRegistry } from "../support/registry.ts";
import { reconcileEnv } from "../agent/reconcile/reconcile_env.ts";

const e2e = { sanitizeResources: false, sanitizeOps: false };
const CHART_DIR = new URL("../fixtures/helmrelease/charts/webapp", import.meta.url).pathname;

async function chartEntries(version: string): Promise<TarEntry[]> {
  const out: TarEntry[] = [];
  const walk = async (dir: string, rel: string) => {
    for await (const e of Deno.readDir(dir)) {
      const path = join(dir, e.name);
      const name = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory) await walk(path, name);
      else {
        let data = await Deno.readTextFile(path);
        if (name === "Chart.yaml") data = data.replace(/^version: .*$/m, `version: ${version}`);
        out.push({ name: `webapp/${name}`, data });
      }
    }
  };
  await walk(CHART_DIR, "");
  return out;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const hash = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  return [...hash].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** An HTTP chart repository whose published versions the test changes as it goes. */
function startChartRepo() {
  const archives = new Map<string, Uint8Array>();
  let index = "";
  const publish = async (version: string) => {
    archives.set(version, await tgz(await chartEntries(version)));
    let entries = "";
    for (const [v, bytes] of archives) {
      entries += `  - name: webapp\n    version: ${v}\n    apiVersion: v2\n` +
        `    digest: ${await sha256Hex(bytes)}\n    urls:\n      - webapp-${v}.tgz\n` +
        `    created: "2026-01-01T00:00:00Z"\n`;
    }
    index = `apiVersion: v1\nentries:\n  webapp:\n${entries}generated: "2026-01-01T00:00:00Z"\n`;
  };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/index.yaml") {
      return new Response(index, { headers: { etag: `"${index.length}-${archives.size}"` } });
    }
    const m = path.match(/^\/webapp-(.+)\.tgz$/);
    const bytes = m ? archives.get(m[1]) : undefined;
    if (bytes) return new Response(bytes as Uint8Array<ArrayBuffer>);
    return new Response("not found", { status: 404 });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    publish,
    archive: (v: string) => archives.get(v)!,
    stop: () => server.shutdown(),
  };
}

/** A release namespace, created as the agent would find it. */
async function createNamespace(cluster: Cluster, name: string): Promise<void> {
  await cluster.client.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
}

type ChartRepo = ReturnType<typeof startChartRepo>;

/**
 * Runs a story against a fresh emulator and a chart repository with webapp 0.1.0 published
 * (and the `apps` namespace, when asked), stopping both however the story ends.
 */
async function withChartRepo(
  options: { cluster: Parameters<typeof startCluster>[0]; appsNamespace: boolean },
  story: (cluster: Cluster, repo: ChartRepo) => Promise<void>,
): Promise<void> {
  const cluster = await startCluster(options.cluster);
  const repo = startChartRepo();
  try {
    if (options.appsNamespace) await createNamespace(cluster, "apps");
    await repo.publish("0.1.0");
    await story(cluster, repo);
  } finally {
    await repo.stop();
    await cluster.stop();
  }
}

function envFor(cluster: Cluster, configText: string, logs: string[]): ReconcileEnv {
  return reconcileEnv(loadConfigText(configText, "skiff.yaml"), cluster.client, "/nonexistent", {
    logger: new Logger({ level: "debug", sink: { write: (l) => logs.push(l) } }),
  });
}

function configFor(repoUrl: string, release: string): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: charts
  namespace: flux-system
spec:
  url: ${repoUrl}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: flux-system
spec:
  interval: 1m
  timeout: 5s
  targetNamespace: apps
  storageNamespace: apps
  releaseName: web
  chart:
    spec:
      chart: webapp
      version: "0.x"
      sourceRef:
        kind: HelmRepository
        name: charts
  test:
    enable: true
  upgrade:
    remediation:
      retries: 1
${release}`;
}

const run = { reason: "test", force: false };
const statuses = (rs: { version: number; info: { status?: string } }[]) =>
  rs.map((r) => `${r.version}:${r.info.status}`).join(" ");

Deno.test(
  "HelmRelease: install, upgrades on values and chart version, remediation, uninstall",
  e2e,
  () =>
    withChartRepo(
      { cluster: { rolloutDelayMs: 20, tls: false }, appsNamespace: true },
      async (cluster, repo) => {
        const logs: string[] = [];
        const storage = new ReleaseStorage(cluster.client, "apps");
        const base = envFor(cluster, configFor(repo.url, ""), logs);
        // One env for the whole story (the agent keeps one); each step loads a new config.
        const reconcile = async (values: string): Promise<Outcome> => {
          base.config = loadConfigText(configFor(repo.url, values), "skiff.yaml");
          const hr = base.config.get("HelmRelease", "flux-system", "web")!;
          return await reconcileHelmRelease(hr, base, run);
        };

        // 1. Install.
        let out = await reconcile("");
        assert.equal(out.ready, "True", out.message);
        assert.equal(out.reason, "InstallSucceeded");
        assert.equal(out.revision, "0.1.0");
        assert.match(
          out.message,
          /Helm install succeeded for release apps\/web.v1 with chart webapp@0.1.0/,
        );
        const state = helmReleaseState(base, objectKey("HelmRelease", "flux-system", "web"));
        assert.equal(state.conditions.find((c) => c.type === "TestSuccess")?.status, "True");
        const cm = cluster.server.store.get("v1", "ConfigMap", "web-config", "apps")!;
        const labels = (cm.metadata as { labels: Record<string, string> }).labels;
        assert.equal(labels["helm.toolkit.fluxcd.io/name"], "web");
        assert.deepEqual(helmReleaseLabels(base.config.get("HelmRelease", "flux-system", "web")!), {
          "helm.toolkit.fluxcd.io/name": "web",
          "helm.toolkit.fluxcd.io/namespace": "flux-system",
        });

        // The Secret skiff wrote decodes strictly with Helm's Go structs, test results included.
        const secret = cluster.server.store.get(
          "v1",
          "Secret",
          "sh.helm.release.v1.web.v1",
          "apps",
        )!;
        const body = atob((secret.data as Record<string, string>).release);
        const helmView = JSON.parse(await goRelease("decode", body));
        assert.equal(helmView.name, "web");
        assert.equal(helmView.namespace, "apps");
        assert.equal(helmView.version, 1);
        assert.equal(helmView.info.status, "deployed");
        assert.equal(helmView.chart.metadata.version, "0.1.0");
        assert.match(helmView.manifest, /# Source: webapp\/templates\/configmap.yaml/);
        const testHook = helmView.hooks.find((h: { name: string }) => h.name === "web-test");
        assert.equal(testHook.last_run.phase, "Succeeded");

        // 2. Nothing changed: nothing happens.
        out = await reconcile("");
        assert.equal(out.ready, "True");
        assert.equal(statuses(await storage.history("web")), "1:deployed");

        // 3. A values change upgrades.
        out = await reconcile("  values:\n    message: changed\n");
        assert.equal(out.reason, "UpgradeSucceeded", out.message);
        let cmData = cluster.server.store.get("v1", "ConfigMap", "web-config", "apps")!.data;
        assert.equal((cmData as Record<string, string>).message, "changed");

        // 4. A new chart version in the repository upgrades.
        await repo.publish("0.2.0");
        out = await reconcile("  values:\n    message: changed\n");
        assert.equal(out.reason, "UpgradeSucceeded", out.message);
        assert.equal(out.revision, "0.2.0");
        assert.equal(
          statuses(await storage.history("web")),
          "1:superseded 2:superseded 3:deployed",
        );

        // 5. A failing pre-upgrade hook: UpgradeFailed, remediated by rollback to revision 3.
        const failing = "  values:\n    message: broken\n    hooks:\n      preFail: true\n";
        out = await reconcile(failing);
        assert.equal(out.ready, "False");
        assert.equal(out.reason, "UpgradeFailed");
        assert.match(out.message, /pre-upgrade hook web-migrate failed/);
        assert.match(out.message, /Rollback to 3 as revision 5/);
        const remediated = state.conditions.find((c) => c.type === "Remediated");
        assert.equal(remediated?.status, "True");
        assert.equal(remediated?.reason, "RollbackSucceeded");
        let history = await storage.history("web");
        assert.equal(
          statuses(history),
          "1:superseded 2:superseded 3:superseded 4:failed 5:deployed",
        );
        cmData = cluster.server.store.get("v1", "ConfigMap", "web-config", "apps")!.data;
        assert.equal((cmData as Record<string, string>).message, "changed");

        // 6. One retry is allowed: it fails and is remediated again; then retries are exhausted
        // and the same desired state is not attempted any more.
        out = await reconcile(failing);
        assert.equal(out.reason, "UpgradeFailed");
        out = await reconcile(failing);
        assert.equal(out.reason, "UpgradeFailed");
        assert.match(out.message, /retries exhausted/);
        history = await storage.history("web");
        assert.equal(history.at(-1)!.version, 7);
        assert.equal(history.length, 5, "maxHistory (default 5) prunes the oldest revisions");

        // 7. Removal from the config uninstalls.
        await finalizeHelmRelease(base.config.get("HelmRelease", "flux-system", "web")!, base);
        assert.equal(cluster.server.store.get("v1", "ConfigMap", "web-config", "apps"), undefined);
        assert.equal(cluster.server.store.get("apps/v1", "Deployment", "web", "apps"), undefined);
        assert.deepEqual(await storage.history("web"), []);
      },
    ),
);

Deno.test(
  "HelmRelease from an OCI HelmRepository: valuesFrom, post-renderers and drift correction",
  e2e,
  async () => {
    const cluster = await startCluster({ rolloutDelayMs: 20, tls: false });
    const registry = await startRegistry();
    const logs: string[] = [];
    try {
      for (const name of ["apps", "flux-system"]) await createNamespace(cluster, name);
      const archive = await tgz(await chartEntries("1.2.3"));
      await pushHelmChart(
        registry,
        "charts/webapp",
        { name: "webapp", version: "1.2.3" },
        archive as Uint8Array<ArrayBuffer>,
      );
      await cluster.client.create({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "web-values", namespace: "flux-system" },
        data: { "values.yaml": "message: from-configmap\nreplicas: 2\n" },
      });
      await cluster.client.create({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "web-secret", namespace: "flux-system" },
        stringData: { token: "s3cr3t" },
      });
      const config = `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: oci-charts
spec:
  type: oci
  insecure: true
  url: oci://${registry.host}/charts
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
spec:
  interval: 1m
  timeout: 5s
  targetNamespace: apps
  storageNamespace: apps
  releaseName: web
  chart:
    spec:
      chart: webapp
      version: ">=1.0.0"
      sourceRef:
        kind: HelmRepository
        name: oci-charts
  install:
    disableHooks: true
  driftDetection:
    mode: enabled
  valuesFrom:
    - kind: ConfigMap
      name: web-values
    - kind: Secret
      name: web-secret
      valuesKey: token
      targetPath: extraToken
    - kind: ConfigMap
      name: not-there
      optional: true
  values:
    replicas: 3
  postRenderers:
    - kustomize:
        images:
          - name: nginx
            newTag: "1.28"
        patches:
          - target:
              kind: ConfigMap
              name: web-config
            patch: |
              - op: add
                path: /metadata/labels/patched
                value: "yes"
`;
      const env = envFor(cluster, config, logs);
      const hr = env.config.get("HelmRelease", "flux-system", "web")!;
      let out = await reconcileHelmRelease(hr, env, run);
      assert.equal(out.reason, "InstallSucceeded", out.message);
      assert.equal(out.revision, "1.2.3");

      const storage = new ReleaseStorage(cluster.client, "apps");
      const release = (await storage.last("web"))!;
      assert.deepEqual(release.config, {
        message: "from-configmap",
        replicas: 3,
        extraToken: "s3cr3t",
      });
      const deploy = cluster.server.store.get("apps/v1", "Deployment", "web", "apps")!;
      const spec = deploy.spec as {
        replicas: number;
        template: { spec: { containers: { image: string }[] } };
      };
      assert.equal(spec.replicas, 3);
      assert.equal(spec.template.spec.containers[0].image, "nginx:1.28");
      const cm = cluster.server.store.get("v1", "ConfigMap", "web-config", "apps")!;
      assert.equal((cm.metadata as { labels: Record<string, string> }).labels.patched, "yes");
      assert.match(release.manifest ?? "", /nginx:1.28/);

      // Someone edits the ConfigMap by hand: the next run puts the release's content back.
      await cluster.client.patch(
        { apiVersion: "v1", kind: "ConfigMap", name: "web-config", namespace: "apps" },
        { data: { message: "hand-edited" } },
        "merge",
        { fieldManager: "kubectl-edit" },
      );
      out = await reconcileHelmRelease(hr, env, run);
      assert.equal(out.ready, "True", out.message);
      assert.match(out.message, /; corrected drift: ConfigMap\/apps\/web-config changed$/);
      const fixed = cluster.server.store.get("v1", "ConfigMap", "web-config", "apps")!;
      assert.equal((fixed.data as Record<string, string>).message, "from-configmap");
      assert.equal((await storage.history("web")).length, 1, "drift correction is no upgrade");

      // An ignore rule: a hand-scaled Deployment is left alone, other drift still corrected.
      env.config = loadConfigText(
        config.replace(
          "    mode: enabled\n",
          "    mode: enabled\n    ignore:\n      - paths: [/spec/replicas]\n        target:\n          kind: Deployment\n",
        ),
        "skiff.yaml",
      );
      const ignoring = env.config.get("HelmRelease", "flux-system", "web")!;
      await cluster.client.patch(
        { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "apps" },
        { spec: { replicas: 7 } },
        "merge",
        { fieldManager: "kubectl-scale" },
      );
      out = await reconcileHelmRelease(ignoring, env, run);
      assert.equal(out.ready, "True", out.message);
      assert.doesNotMatch(out.message, /drift/);
      const scaled = cluster.server.store.get("apps/v1", "Deployment", "web", "apps")!;
      assert.equal((scaled.spec as { replicas: number }).replicas, 7);
      await cluster.client.patch(
        { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "apps" },
        { spec: { replicas: 3 } },
        "merge",
        { fieldManager: "kubectl-scale" },
      );

      // skiff diff: what a values change would do, without writing anything.
      env.config = loadConfigText(config.replace("replicas: 3", "replicas: 4"), "skiff.yaml");
      const diff = await diffHelmRelease(
        env.config.get("HelmRelease", "flux-system", "web")!,
        env,
        helmReleaseLabels(hr),
      );
      assert.equal(diff.chart, "webapp@1.2.3");
      assert.equal(diff.currentVersion, 1);
      const changed = diff.changes.changes.filter((c) => c.action !== "unchanged");
      // The ConfigMap shows .Release.Revision, which an upgrade would bump to 2.
      assert.deepEqual(changed.map((c) => `${c.id.kind}/${c.id.name} ${c.action}`), [
        "ConfigMap/web-config configured",
        "Deployment/web configured",
      ]);
      assert.match(changed[1].diff ?? "", /replicas: 4/);
      assert.equal(
        (cluster.server.store.get("apps/v1", "Deployment", "web", "apps")!.spec as {
          replicas: number;
        }).replicas,
        3,
      );
    } finally {
      await registry.stop();
      await cluster.stop();
    }
  },
);

Deno.test(
  "HelmRelease from a GitRepository chart path adopts a Helm release; Revision strategy upgrades",
  e2e,
  async () => {
    const cluster = await startCluster({ rolloutDelayMs: 20, tls: false });
    const logs: string[] = [];
    const work = await Deno.makeTempDir({ prefix: "skiff-hr-git-" });
    try {
      await createNamespace(cluster, "apps");
      // The release as helm left it: two revisions in Helm's storage format, and its objects.
      const adopt = new URL("../fixtures/helmrelease/adopt/", import.meta.url).pathname;
      for (const v of [1, 2]) {
        const text = await Deno.readTextFile(`${adopt}sh.helm.release.v1.legacy.v${v}.yaml`);
        await cluster.client.create(parseOne(text) as KubeObject);
      }
      for (const name of ["legacy-old", "legacy-config"]) {
        await cluster.client.create({
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: {
            name,
            namespace: "apps",
            labels: { "app.kubernetes.io/managed-by": "Helm" },
            annotations: {
              "meta.helm.sh/release-name": "legacy",
              "meta.helm.sh/release-namespace": "apps",
            },
          },
          data: { message: "second" },
        });
      }
      // A Git artifact holding the chart under charts/webapp.
      const artifactDir = `${work}/artifact`;
      for (const e of await chartEntries("0.1.0")) {
        const path = `${artifactDir}/charts/${e.name}`;
        await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
        await Deno.writeTextFile(path, e.data as string);
      }
      const config = (strategy: string) =>
        `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: fleet
spec:
  url: https://example.invalid/fleet.git
  interval: 1m
  ref:
    branch: main
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: legacy
  namespace: apps
spec:
  interval: 1m
  timeout: 5s
  releaseName: legacy
  chart:
    spec:
      chart: ./charts/webapp
      reconcileStrategy: ${strategy}
      sourceRef:
        kind: GitRepository
        name: fleet
        namespace: flux-system
  install:
    disableHooks: true
  upgrade:
    disableHooks: true
`;
      const env = envFor(cluster, config("ChartVersion"), logs);
      const setRevision = (sha: string) =>
        env.artifacts.set(objectKey("GitRepository", "flux-system", "fleet"), {
          revision: `main@sha1:${sha}`,
          digest: `sha256:${sha}`,
          dir: artifactDir,
          lastUpdateTime: new Date().toISOString(),
          url: "https://example.invalid/fleet.git",
          files: 1,
          size: 1,
        });
      setRevision("a".repeat(40));
      let hr = env.config.get("HelmRelease", "apps", "legacy")!;
      let out = await reconcileHelmRelease(hr, env, run);
      assert.equal(out.reason, "UpgradeSucceeded", out.message);
      const storage = new ReleaseStorage(cluster.client, "apps");
      assert.equal(
        statuses(await storage.history("legacy")),
        "1:superseded 2:superseded 3:deployed",
      );
      assert.equal(cluster.server.store.get("v1", "ConfigMap", "legacy-old", "apps"), undefined);

      // ChartVersion: a new commit with the same chart version changes nothing.
      setRevision("b".repeat(40));
      out = await reconcileHelmRelease(hr, env, run);
      assert.equal(out.ready, "True");
      assert.equal((await storage.history("legacy")).length, 3);

      // Revision: the source revision is part of the chart version, so a new commit upgrades.
      env.config = loadConfigText(config("Revision"), "skiff.yaml");
      hr = env.config.get("HelmRelease", "apps", "legacy")!;
      out = await reconcileHelmRelease(hr, env, run);
      assert.equal(out.reason, "UpgradeSucceeded", out.message);
      assert.equal(
        (await storage.last("legacy"))!.chart?.metadata?.version,
        `0.1.0+${"b".repeat(12)}`,
      );
      setRevision("c".repeat(40));
      out = await reconcileHelmRelease(hr, env, run);
      assert.equal(out.reason, "UpgradeSucceeded", out.message);
      assert.equal((await storage.last("legacy"))!.version, 5);
    } finally {
      await Deno.remove(work, { recursive: true });
      await cluster.stop();
    }
  },
);

Deno.test(
  "a failed install is uninstalled within the retry budget and left failed after it",
  e2e,
  () =>
    withChartRepo(
      { cluster: { rolloutDelayMs: 20, tls: false }, appsNamespace: true },
      async (cluster, repo) => {
        const config = configFor(repo.url, "").replace(
          "  upgrade:\n    remediation:\n      retries: 1\n",
          "  install:\n    remediation:\n      retries: 1\n  values:\n    deployment:\n      fail: true\n",
        );
        const env = envFor(cluster, config, []);
        const hr = env.config.get("HelmRelease", "flux-system", "web")!;
        const storage = new ReleaseStorage(cluster.client, "apps");
        const state = helmReleaseState(env, objectKey("HelmRelease", "flux-system", "web"));

        let out = await reconcileHelmRelease(hr, env, run);
        assert.equal(out.reason, "InstallFailed", out.message);
        assert.match(out.message, /uninstalled/);
        assert.equal(
          state.conditions.find((c) => c.type === "Remediated")?.reason,
          "UninstallSucceeded",
        );
        assert.deepEqual(await storage.history("web"), []);
        assert.equal(cluster.server.store.get("apps/v1", "Deployment", "web", "apps"), undefined);

        // The retry fails too; remediateLastFailure is off for installs, so it stays failed.
        out = await reconcileHelmRelease(hr, env, run);
        assert.equal(out.reason, "InstallFailed");
        assert.equal(statuses(await storage.history("web")), "1:failed");
        out = await reconcileHelmRelease(hr, env, run);
        assert.match(out.message, /install retries exhausted/);
        assert.equal(statuses(await storage.history("web")), "1:failed");
      },
    ),
);

Deno.test("values merge like Flux's MergeMaps and their digest ignores key order", async () => {
  assert.deepEqual(
    mergeMaps({ a: { b: 1, c: [1, 2] }, d: "x" }, { a: { c: [3], e: true }, d: { f: 1 } }),
    { a: { b: 1, c: [3], e: true }, d: { f: 1 } },
  );
  assert.equal(
    await valuesDigest({ a: 1, b: { c: 2, d: 3 } }),
    await valuesDigest({ b: { d: 3, c: 2 }, a: 1 }),
  );
  assert.notEqual(await valuesDigest({ a: 1 }), await valuesDigest({ a: 2 }));
  assert.match(await valuesDigest({}), /^sha256:[0-9a-f]{64}$/);
});

Deno.test(
  "a missing valuesFrom reference fails with InitFailed before anything is installed",
  e2e,
  () =>
    withChartRepo({ cluster: { tls: false }, appsNamespace: false }, async (cluster, repo) => {
      const config = configFor(
        repo.url,
        "  valuesFrom:\n    - kind: ConfigMap\n      name: absent\n",
      );
      const env = envFor(cluster, config, []);
      const out = await reconcileHelmRelease(
        env.config.get("HelmRelease", "flux-system", "web")!,
        env,
        run,
      );
      assert.equal(out.reason, "InitFailed");
      assert.match(out.message, /valuesFrom ConfigMap flux-system\/absent: not found/);
    }),
);

Deno.test(
  "serviceAccountName: the release is made as that account and bounded by its RBAC",
  e2e,
  () =>
    withChartRepo({ cluster: { tls: false }, appsNamespace: true }, async (cluster, repo) => {
      const config = configFor(repo.url, "  serviceAccountName: deployer\n");
      const env = envFor(cluster, config, []);
      await assert.rejects(
        () => reconcileHelmRelease(env.config.get("HelmRelease", "flux-system", "web")!, env, run),
        /system:serviceaccount:flux-system:deployer.*forbidden|forbidden.*deployer/is,
      );
      assert.equal(cluster.server.store.get("v1", "ConfigMap", "web-config", "apps"), undefined);
    }),
);

Deno.test(
  "upgrade.preserveValues keeps earlier values and does not upgrade again without a change",
  e2e,
  () =>
    withChartRepo(
      { cluster: { rolloutDelayMs: 20, tls: false }, appsNamespace: true },
      async (cluster, repo) => {
        const config = (values: string) =>
          configFor(repo.url, `  values:\n${values}`).replace(
            "  upgrade:\n",
            "  upgrade:\n    preserveValues: true\n",
          );
        const env = envFor(cluster, config("    message: first\n"), []);
        const storage = new ReleaseStorage(cluster.client, "apps");
        const reconcile = (values: string) => {
          env.config = loadConfigText(config(values), "skiff.yaml");
          return reconcileHelmRelease(
            env.config.get("HelmRelease", "flux-system", "web")!,
            env,
            run,
          );
        };
        assert.equal((await reconcile("    message: first\n")).reason, "InstallSucceeded");
        assert.equal((await reconcile("    replicas: 2\n")).reason, "UpgradeSucceeded");
        assert.deepEqual((await storage.last("web"))!.config, { message: "first", replicas: 2 });
        await reconcile("    replicas: 2\n");
        assert.equal((await storage.history("web")).length, 2);
      },
    ),
);
