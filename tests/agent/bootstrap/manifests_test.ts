// The generated `<path>/skiff-system/` files: readable (comments kept), valid config, and a
// kustomization that builds into skiff's objects in the chosen namespace with the chosen image.
import assert from "node:assert/strict";
import {
  BootstrapOptionError,
  type BootstrapSettings,
  generateFiles,
  MARKER,
  normalizeRepoPath,
  readDeployManifests,
} from "../../../agent/bootstrap/mod.ts";
import { loadConfigText } from "../../../agent/config/mod.ts";
import { buildKustomization } from "../../../lib/kustomize/mod.ts";

const deploy = await readDeployManifests();
const settings: BootstrapSettings = {
  url: "https://git.example.com/fleet.git",
  branch: "main",
  path: "clusters/prod",
  namespace: "ops",
  image: "registry.example.com/skiff:v9.9.9",
  interval: "5m",
  withCredentials: true,
};

async function build(files: Map<string, string>) {
  const dir = await Deno.makeTempDir();
  try {
    for (const [name, text] of files) await Deno.writeTextFile(`${dir}/${name}`, text);
    return await buildKustomization(dir, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("every file starts with the marker and keeps deploy/'s comments", () => {
  const files = generateFiles(settings, deploy);
  assert.deepEqual([...files.keys()], [
    "namespace.yaml",
    "serviceaccount.yaml",
    "rbac.yaml",
    "deployment.yaml",
    "skiff.yaml",
    "kustomization.yaml",
  ]);
  for (const text of files.values()) assert.ok(text.startsWith(MARKER));
  assert.match(files.get("rbac.yaml")!, /# 2\. skiff-reconciler \(ClusterRole\)/);
  assert.match(files.get("deployment.yaml")!, /# The agent: one replica is enough/);
  // Flow style of the original is kept (no re-formatting noise in diffs).
  assert.match(files.get("deployment.yaml")!, /httpGet: \{ path: \/healthz, port: http \}/);
});

Deno.test("the same settings generate the same bytes", () => {
  assert.deepEqual(generateFiles(settings, deploy), generateFiles({ ...settings }, deploy));
});

Deno.test("the kustomization builds skiff's objects in the chosen namespace and image", async () => {
  const objects = await build(generateFiles(settings, deploy));
  const ids = objects.map((o) =>
    `${o.kind}/${(o.metadata as { namespace?: string }).namespace ?? ""}/${
      (o.metadata as { name: string }).name
    }`
  );
  assert.deepEqual(ids.sort(), [
    "ClusterRole//skiff-impersonator",
    "ClusterRole//skiff-reconciler",
    "ClusterRoleBinding//skiff-impersonator",
    "ClusterRoleBinding//skiff-reconciler",
    "ConfigMap/ops/skiff-config",
    "Deployment/ops/skiff",
    "Namespace//ops",
    "Role/ops/skiff-agent",
    "RoleBinding/ops/skiff-agent",
    "Service/ops/skiff",
    "ServiceAccount/ops/skiff",
  ]);
  const deployment = objects.find((o) => o.kind === "Deployment")!;
  const containers = (deployment.spec as {
    template: { spec: { containers: Array<{ image: string }> } };
  }).template.spec.containers;
  assert.equal(containers[0].image, "registry.example.com/skiff:v9.9.9");
  for (const binding of objects.filter((o) => String(o.kind).endsWith("RoleBinding"))) {
    assert.deepEqual(
      (binding.subjects as Array<{ namespace: string }>).map((s) => s.namespace),
      ["ops"],
    );
  }
  const cm = objects.find((o) => o.kind === "ConfigMap")!;
  assert.equal(
    (cm.metadata as { labels: Record<string, string> }).labels["app.kubernetes.io/name"],
    "skiff",
  );
  assert.equal(
    (cm.data as Record<string, string>)["skiff.yaml"],
    generateFiles(settings, deploy).get("skiff.yaml"),
  );
});

Deno.test("the generated config loads and syncs <path> from this repository", () => {
  const text = generateFiles(settings, deploy).get("skiff.yaml")!;
  const config = loadConfigText(text, "skiff.yaml");
  assert.equal(config.agent.namespace, "ops");
  assert.equal(config.agent.cluster.inCluster, true);
  const repo = config.get("GitRepository", "ops", "skiff-system")!;
  assert.equal(repo.spec.url, settings.url);
  assert.equal(repo.spec.interval, "5m");
  assert.equal(repo.spec.secretRef?.name, "skiff-git-credentials");
  const sync = config.get("Kustomization", "ops", "skiff-system")!;
  assert.equal(sync.spec.path, "./clusters/prod");
  assert.equal(sync.spec.prune, true);
  // A public repository needs no Secret.
  const open = loadConfigText(
    generateFiles({ ...settings, withCredentials: false }, deploy).get("skiff.yaml")!,
    "skiff.yaml",
  );
  assert.equal(open.get("GitRepository", "ops", "skiff-system")!.spec.secretRef, undefined);
});

Deno.test("without --image the Deployment keeps deploy/'s image", () => {
  const text = generateFiles({ ...settings, image: undefined }, deploy).get("deployment.yaml")!;
  assert.match(text, /image: ghcr\.io\/skiff-dev\/skiff:/);
});

Deno.test("repository paths are normalised and may not leave the repository", () => {
  assert.equal(normalizeRepoPath("./clusters//prod/"), "clusters/prod");
  assert.equal(normalizeRepoPath("."), "");
  assert.throws(() => normalizeRepoPath("clusters/../../x"), BootstrapOptionError);
});
