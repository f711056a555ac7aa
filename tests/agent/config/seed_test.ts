// The project's seed example (plus the fleet-infra GitRepository it refers to) loads, with
// Flux's defaults applied and older apiVersions normalized.
import assert from "node:assert/strict";
import { loadConfigFile } from "../../../agent/config/mod.ts";
import { parseAll } from "../../../lib/yaml/mod.ts";

const seed = new URL("../../fixtures/config/seed.yaml", import.meta.url).pathname;
const demo = new URL("../../../demo/skiff.yaml", import.meta.url).pathname;

Deno.test("the seed example loads with every document typed and defaulted", async () => {
  const config = await loadConfigFile(seed);
  assert.deepEqual(
    config.objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`),
    [
      "GitRepository flux-system/payment-service",
      "Kustomization flux-system/payment-service",
      "ImageRepository flux-system/payment-api",
      "ImagePolicy flux-system/payment-api",
      "ImageUpdateAutomation flux-system/flux-system",
      "GitRepository flux-system/fleet-infra",
    ],
  );

  const git = config.get("GitRepository", "flux-system", "payment-service")!;
  assert.deepEqual(git.spec, {
    url: "https://github.com/company/payment-service",
    interval: "1m",
    timeout: "60s",
    ref: { branch: "main" },
    suspend: false,
    recurseSubmodules: false,
  });

  const [ks] = config.kustomizations;
  assert.equal(ks.spec.timeout, "5m", "timeout defaults to the interval");
  assert.equal(ks.spec.retryInterval, "5m");
  assert.equal(ks.spec.prune, true);
  assert.equal(ks.spec.wait, false);
  assert.equal(ks.spec.force, false);
  assert.equal(ks.spec.deletionPolicy, "MirrorPrune");
  assert.deepEqual(ks.spec.sourceRef, {
    kind: "GitRepository",
    name: "payment-service",
    namespace: "flux-system",
  });

  const [repo] = config.imageRepositories;
  assert.equal(repo.apiVersion, "image.toolkit.fluxcd.io/v1");
  assert.equal(repo.origin.apiVersion, "image.toolkit.fluxcd.io/v1beta2");
  assert.equal(repo.spec.timeout, "5m");
  assert.deepEqual(repo.spec.exclusionList, ["^.*\\.sig$"]);
  assert.equal(repo.spec.provider, "generic");

  const [policy] = config.imagePolicies;
  assert.deepEqual(policy.spec.imageRepositoryRef, {
    name: "payment-api",
    namespace: "flux-system",
  });
  assert.deepEqual(policy.spec.policy, { semver: { range: ">=1.0.0" } });
  assert.equal(policy.spec.digestReflectionPolicy, "Never");

  const [automation] = config.imageUpdateAutomations;
  assert.equal(automation.origin.apiVersion, "image.toolkit.fluxcd.io/v1beta1");
  assert.deepEqual(automation.spec.update, { strategy: "Setters" });
  assert.equal(automation.spec.sourceRef.namespace, "flux-system");
  assert.equal(automation.spec.git?.push?.branch, "main");
  assert.equal(
    config.get("GitRepository", "flux-system", automation.spec.sourceRef.name)?.spec.url,
    "https://github.com/company/fleet-infra",
  );

  assert.equal(config.agent.concurrency, 4);
  assert.equal(config.agent.server.address, ":9090");
  assert.equal(config.agentObject, undefined);
});

Deno.test("the original document is kept beside the normalized object", async () => {
  const config = await loadConfigFile(seed);
  const automation = config.imageUpdateAutomations[0];
  assert.equal(automation.origin.documentIndex, 4);
  assert.equal(automation.origin.file, seed);
  assert.deepEqual(automation.origin.document.metadata, {
    name: "flux-system",
    namespace: "flux-system",
  });
  assert.equal((automation.origin.document.spec as Record<string, unknown>).update, undefined);
});

Deno.test("the demo's bundled config is the seed example", async () => {
  // Compared as data: `deno fmt` may restyle demo/skiff.yaml's flow mappings.
  assert.deepEqual(
    parseAll(await Deno.readTextFile(demo)),
    parseAll(await Deno.readTextFile(seed)),
  );
});
