// Image automation end to end: a new tag pushed to a real registry (Debian's docker-registry)
// is selected by the ImagePolicy, written into Git by the ImageUpdateAutomation (a real push to
// the Git server), and the new commit reaches the cluster.
import assert from "node:assert/strict";
import { pushImage, startRegistry } from "../support/registry.ts";
import { git } from "../support/git_server.ts";
import { eventually, gitRepository, kustomization, startWorld } from "./harness.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

Deno.test("a new image tag is committed to Git and rolled out", opts, async () => {
  const registry = await startRegistry();
  await pushImage(registry, "payment-api", ["1.0.0", "0.9.0"]);
  const image = `${registry.host}/payment-api`;
  const manifest = `apiVersion: apps/v1
kind: Deployment
metadata: {name: payment-api}
spec:
  selector: {matchLabels: {app: payment-api}}
  template:
    metadata: {labels: {app: payment-api}}
    spec:
      containers:
        - name: api
          image: ${image}:1.0.0 # {"$imagepolicy": "flux-system:payment-api"}
`;
  const world = await startWorld(
    { "apps/deploy.yaml": manifest },
    (url) =>
      [
        gitRepository(url, "1h"),
        kustomization("apps", "./apps", { targetNamespace: "default" }, "1h"),
        `apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImageRepository
metadata: {name: payment-api, namespace: flux-system}
spec: {image: ${image}, interval: 1h, insecure: true}
---
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImagePolicy
metadata: {name: payment-api, namespace: flux-system}
spec:
  imageRepositoryRef: {name: payment-api}
  policy: {semver: {range: ">=1.0.0"}}
---
apiVersion: image.toolkit.fluxcd.io/v1beta1
kind: ImageUpdateAutomation
metadata: {name: fleet, namespace: flux-system}
spec:
  interval: 1h
  sourceRef: {kind: GitRepository, name: fleet}
  git:
    checkout: {ref: {branch: main}}
    commit:
      author: {email: skiff@example.com, name: skiff}
      messageTemplate: "chore: update images{{range .Changed.Changes}} {{.NewValue}}{{end}}"
    push: {branch: main}
`,
      ].join("---\n"),
  );
  try {
    const agent = await world.startAgent();
    const store = world.api.store;
    const imageOf = () => ((store.get("apps/v1", "Deployment", "payment-api", "default")?.spec as {
      template: { spec: { containers: { image: string }[] } };
    } | undefined)?.template.spec.containers[0].image);
    await eventually("first sync", () => imageOf() === `${image}:1.0.0`, 20_000, world.logs);
    await eventually(
      "policy resolved",
      () => agent.core.statuses.get("ImagePolicy/flux-system/payment-api")?.ready === "True",
      10_000,
      world.logs,
    );

    await pushImage(registry, "payment-api", ["1.1.0"]);
    agent.core.reconcileNow("ImageRepository/flux-system/payment-api", "test");
    await eventually("rolled out", () => imageOf() === `${image}:1.1.0`, 20_000, world.logs);
    const log = await git(world.repo.bare, "log", "-1", "--format=%an <%ae>|%s", "main");
    assert.equal(log, `skiff <skiff@example.com>|chore: update images ${image}:1.1.0`);
    await git(world.repo.bare, "fsck", "--strict");
    const file = await git(world.repo.bare, "show", "main:apps/deploy.yaml");
    assert.match(
      file,
      /image: .*payment-api:1\.1\.0 # \{"\$imagepolicy": "flux-system:payment-api"\}/,
    );
  } finally {
    await world.stop();
    await registry.stop();
  }
});
