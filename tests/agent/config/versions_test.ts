// Every kind loads in every apiVersion skiff accepts, and older versions are normalized onto
// the newest shape the way Flux reads them.
import assert from "node:assert/strict";
import { loadConfigFile, loadConfigText } from "../../../agent/config/mod.ts";

const allKinds = new URL("../../fixtures/config/all-kinds.yaml", import.meta.url).pathname;

Deno.test("every kind loads in every apiVersion, normalized to the newest", async () => {
  const config = await loadConfigFile(allKinds);
  const origins = config.objects.map((o) => `${o.kind} ${o.origin.apiVersion} -> ${o.apiVersion}`);
  assert.deepEqual(origins, [
    "GitRepository source.toolkit.fluxcd.io/v1 -> source.toolkit.fluxcd.io/v1",
    "GitRepository source.toolkit.fluxcd.io/v1beta2 -> source.toolkit.fluxcd.io/v1",
    "OCIRepository source.toolkit.fluxcd.io/v1 -> source.toolkit.fluxcd.io/v1",
    "OCIRepository source.toolkit.fluxcd.io/v1beta2 -> source.toolkit.fluxcd.io/v1",
    "HelmRepository source.toolkit.fluxcd.io/v1 -> source.toolkit.fluxcd.io/v1",
    "HelmRepository source.toolkit.fluxcd.io/v1beta2 -> source.toolkit.fluxcd.io/v1",
    "Kustomization kustomize.toolkit.fluxcd.io/v1 -> kustomize.toolkit.fluxcd.io/v1",
    "Kustomization kustomize.toolkit.fluxcd.io/v1 -> kustomize.toolkit.fluxcd.io/v1",
    "HelmRelease helm.toolkit.fluxcd.io/v2 -> helm.toolkit.fluxcd.io/v2",
    "HelmRelease helm.toolkit.fluxcd.io/v2beta2 -> helm.toolkit.fluxcd.io/v2",
    "HelmRelease helm.toolkit.fluxcd.io/v2beta1 -> helm.toolkit.fluxcd.io/v2",
    "ImageRepository image.toolkit.fluxcd.io/v1 -> image.toolkit.fluxcd.io/v1",
    "ImageRepository image.toolkit.fluxcd.io/v1beta2 -> image.toolkit.fluxcd.io/v1",
    "ImageRepository image.toolkit.fluxcd.io/v1beta1 -> image.toolkit.fluxcd.io/v1",
    "ImagePolicy image.toolkit.fluxcd.io/v1 -> image.toolkit.fluxcd.io/v1",
    "ImagePolicy image.toolkit.fluxcd.io/v1beta2 -> image.toolkit.fluxcd.io/v1",
    "ImagePolicy image.toolkit.fluxcd.io/v1beta1 -> image.toolkit.fluxcd.io/v1",
    "ImageUpdateAutomation image.toolkit.fluxcd.io/v1 -> image.toolkit.fluxcd.io/v1",
    "ImageUpdateAutomation image.toolkit.fluxcd.io/v1beta2 -> image.toolkit.fluxcd.io/v1",
    "ImageUpdateAutomation image.toolkit.fluxcd.io/v1beta1 -> image.toolkit.fluxcd.io/v1",
    "Receiver notification.toolkit.fluxcd.io/v1 -> notification.toolkit.fluxcd.io/v1",
    "Receiver notification.toolkit.fluxcd.io/v1beta3 -> notification.toolkit.fluxcd.io/v1",
    "Provider notification.toolkit.fluxcd.io/v1beta3 -> notification.toolkit.fluxcd.io/v1",
    "Provider notification.toolkit.fluxcd.io/v1 -> notification.toolkit.fluxcd.io/v1",
    "Alert notification.toolkit.fluxcd.io/v1beta3 -> notification.toolkit.fluxcd.io/v1",
    "Alert notification.toolkit.fluxcd.io/v1 -> notification.toolkit.fluxcd.io/v1",
  ]);
  assert.equal(config.agentObject?.metadata.name, "edge-agent");
  assert.equal(config.agent.concurrency, 8);
  assert.equal(config.agent.leaderElection.leaseDuration, "35s");
  assert.equal(config.agent.log.format, "json");
});

Deno.test("a GitRepository without ref (or with an empty one) follows branch master", async () => {
  const config = await loadConfigFile(allKinds);
  assert.deepEqual(config.get("GitRepository", "flux-system", "shared")!.spec.ref, {
    branch: "master",
  });
  const bare = loadConfigText(
    "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: a}\n" +
      "spec: {interval: 1m, url: 'https://example.com/a.git'}\n",
    "bare.yaml",
  );
  assert.deepEqual(bare.gitRepositories[0].spec.ref, { branch: "master" });
  assert.equal(bare.gitRepositories[0].metadata.namespace, "flux-system");
});

Deno.test("GitRepository v1beta2 drops gitImplementation and keeps the rest", async () => {
  const config = await loadConfigFile(allKinds);
  const shared = config.get("GitRepository", "flux-system", "shared")!;
  assert.equal("gitImplementation" in shared.spec, false);
  const written = shared.origin.document.spec as Record<string, unknown>;
  assert.equal(written.gitImplementation, "libgit2");
});

Deno.test("HelmRelease v2beta1 moves deprecated fields onto v2's", async () => {
  const config = await loadConfigFile(allKinds);
  const pg = config.get("HelmRelease", "apps", "postgres")!;
  const chart = pg.spec.chart!.spec;
  assert.deepEqual(chart.valuesFiles, ["values-prod.yaml", "values-extra.yaml"]);
  assert.equal(chart.valuesFile, undefined);
  assert.equal(chart.interval, "15m", "the chart's interval defaults to the release's");
  assert.equal(chart.version, "*");
  assert.equal(chart.reconcileStrategy, "ChartVersion");
  assert.equal(pg.spec.install.crds, "Skip", "skipCRDs maps to crds: Skip");
  assert.equal(pg.spec.upgrade.crds, "Skip");
  assert.equal(pg.spec.releaseName, "data-postgres");
  assert.equal(pg.spec.storageNamespace, "apps");
  assert.deepEqual(pg.spec.valuesFrom, [{
    kind: "Secret",
    name: "pg-values",
    valuesKey: "values.yaml",
    targetPath: "auth",
    optional: false,
  }]);
  assert.deepEqual(pg.spec.postRenderers, [{
    kustomize: {
      patches: [
        {
          patch: JSON.stringify({
            apiVersion: "apps/v1",
            kind: "StatefulSet",
            metadata: { name: "postgres" },
            spec: { replicas: 1 },
          }),
        },
        {
          patch: JSON.stringify([{ op: "add", path: "/metadata/labels/team", value: "data" }]),
          target: { kind: "Service", name: "postgres" },
        },
      ],
    },
  }]);
});

Deno.test("HelmRelease defaults follow Flux's", async () => {
  const config = await loadConfigFile(allKinds);
  const podinfo = config.get("HelmRelease", "apps", "podinfo")!;
  assert.equal(podinfo.spec.timeout, "5m");
  assert.equal(podinfo.spec.maxHistory, 5);
  assert.equal(podinfo.spec.persistentClient, true);
  assert.equal(podinfo.spec.releaseName, "podinfo");
  assert.equal(podinfo.spec.targetNamespace, "apps");
  assert.equal(podinfo.spec.install.crds, "Create");
  assert.equal(podinfo.spec.install.remediation.retries, 0);
  assert.equal(podinfo.spec.upgrade.remediation.retries, 3);
  assert.equal(podinfo.spec.upgrade.remediation.remediateLastFailure, true);
  assert.equal(podinfo.spec.upgrade.remediation.strategy, "rollback");
  assert.equal(podinfo.spec.uninstall.deletionPropagation, "background");
  assert.equal(podinfo.spec.driftDetection.mode, "disabled");
  assert.deepEqual(podinfo.spec.values, { replicaCount: 2, ingress: { enabled: true } });
  const redis = config.get("HelmRelease", "apps", "redis")!;
  assert.equal(redis.spec.releaseName, "cache");
  assert.deepEqual(redis.spec.dependsOn, [{ name: "podinfo", namespace: "apps" }]);
});

Deno.test("ImagePolicy v1beta1's local reference gets the policy's namespace", async () => {
  const config = await loadConfigFile(allKinds);
  const worker = config.get("ImagePolicy", "flux-system", "worker")!;
  assert.deepEqual(worker.spec.imageRepositoryRef, { name: "worker", namespace: "flux-system" });
  assert.equal(worker.spec.digestReflectionPolicy, "Never");
  const api = config.get("ImagePolicy", "flux-system", "api")!;
  assert.deepEqual(api.spec.policy, { alphabetical: { order: "desc" } });
});

Deno.test("other kinds get Flux's defaults", async () => {
  const config = await loadConfigFile(allKinds);
  const bitnami = config.get("HelmRepository", "flux-system", "bitnami")!;
  assert.equal(bitnami.spec.interval, "1m");
  assert.equal(bitnami.spec.timeout, "60s");
  assert.equal(bitnami.spec.type, "default");
  const chart = config.get("OCIRepository", "flux-system", "manifests")!;
  assert.equal(chart.spec.provider, "generic");
  assert.equal(chart.spec.timeout, "60s");
  const worker = config.get("ImageUpdateAutomation", "flux-system", "worker")!;
  assert.equal(worker.spec.sourceRef.kind, "GitRepository");
  const receiver = config.get("Receiver", "flux-system", "github")!;
  assert.equal(receiver.spec.interval, "10m");
  const slack = config.get("Provider", "flux-system", "slack")!;
  assert.equal(slack.spec.timeout, "15s");
  const alert = config.get("Alert", "flux-system", "commit-status")!;
  assert.equal(alert.spec.eventSeverity, "info");
  const apps = config.get("Kustomization", "flux-system", "apps")!;
  assert.equal(apps.spec.prune, false);
  assert.deepEqual(apps.spec.dependsOn, [{ name: "infra", namespace: "flux-system" }]);
});
