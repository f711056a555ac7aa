// Image automation end to end: a new tag pushed to a real registry (Debian's docker-registry)
// is selected by the ImagePolicy, written into Git by the ImageUpdateAutomation (a real push to
// the Git server), and the new commit reaches the cluster.
//
// Then the same story through the library the agent calls, run by run: registries behind token
// and basic auth, the seed's base/overlay layout, one commit per new tag, nothing when nothing
// changed, and a commit that lands on the branch while skiff is working.
import assert from "node:assert/strict";
import { type Credentials, pushImage, startRegistry } from "../support/registry.ts";
import { createRepo, git, startGitServer } from "../support/git_server.ts";
import { tempDir } from "../support/process.ts";
import { seedFleetFiles } from "../support/seed_fleet_repo.ts";
import { compilePolicy, scanImageRepository } from "../../lib/images/mod.ts";
import {
  type AutomationObject,
  runImageUpdateAutomation,
} from "../../lib/images/automation/mod.ts";
import {
  e2eOpts as opts,
  eventually,
  gitRepository,
  imageOf,
  imageUpdateAutomation,
  kustomization,
  startWorld,
} from "./harness.ts";

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
`,
        imageUpdateAutomation(
          "chore: update images{{range .Changed.Changes}} {{.NewValue}}{{end}}",
          "image.toolkit.fluxcd.io/v1beta1",
        ),
      ].join("---\n"),
  );
  try {
    const agent = await world.startAgent();
    const deployed = () => imageOf(world.api, "payment-api");
    await eventually("first sync", () => deployed() === `${image}:1.0.0`, 20_000, world.logs);
    await eventually(
      "policy resolved",
      () => agent.core.statuses.get("ImagePolicy/flux-system/payment-api")?.ready === "True",
      10_000,
      world.logs,
    );

    await pushImage(registry, "payment-api", ["1.1.0"]);
    agent.core.reconcileNow("ImageRepository/flux-system/payment-api", "test");
    await eventually("rolled out", () => deployed() === `${image}:1.1.0`, 20_000, world.logs);
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

// The seed's automation (v1beta1, message over .Updated), as the config loader normalizes it.
const seedAutomation: AutomationObject = {
  metadata: { name: "flux-system", namespace: "flux-system" },
  spec: {
    git: {
      checkout: { ref: { branch: "main" } },
      commit: {
        author: { email: "flux@company.com", name: "Flux" },
        messageTemplate: "chore: update image to {{range .Updated.Images}}{{println .}}{{end}}",
      },
      push: { branch: "main" },
    },
    update: { strategy: "Setters" },
  },
};

for (const auth of ["token", "htpasswd"] as const) {
  Deno.test(`each new tag becomes one commit (registry with ${auth} auth)`, opts, async () => {
    const alice: Credentials = { username: "alice", password: "wonderland" };
    const registry = await startRegistry({ auth });
    const tmp = await tempDir("skiff-image-e2e-");
    await Deno.mkdir(`${tmp.path}/repos`);
    const gitAuth = { username: "flux", password: "git-secret" };
    const server = await startGitServer({ root: `${tmp.path}/repos`, auth: gitAuth });
    try {
      const image = `${registry.host}/payment-api`;
      await pushImage(registry, "payment-api", ["0.9.0", "1.0.0"], { credentials: alice });
      const repo = await createRepo(`${tmp.path}/repos`, "fleet-infra", seedFleetFiles(image));
      const policy = compilePolicy({ policy: { semver: { range: ">=1.0.0" } } });
      // One reconcile of ImageRepository + ImagePolicy + ImageUpdateAutomation.
      const cycle = async () => {
        const scan = await scanImageRepository({ image, insecure: true }, { credentials: alice });
        const latestImage = `${image}:${policy.latest(scan.tags)}`;
        return await runImageUpdateAutomation(seedAutomation, {
          source: { url: server.url("fleet-infra"), ref: { branch: "main" }, secret: gitAuth },
          policies: [{ namespace: "flux-system", name: "payment-api", latestImage }],
          workDir: `${tmp.path}/cache`,
        });
      };

      const unchanged = await cycle();
      assert.equal(unchanged.commit, undefined, "1.0.0 is already in Git");
      const initial = await git(repo.bare, "rev-parse", "main");
      assert.equal(unchanged.revision, initial);

      await pushImage(registry, "payment-api", ["1.1.0"], { credentials: alice });
      const first = await cycle();
      assert.ok(first.commit);
      await git(repo.bare, "fsck", "--strict");
      assert.equal(
        await git(repo.bare, "log", "--format=%s", "-2", "main"),
        `chore: update image to ${image}:1.1.0\ninitial`,
      );
      assert.equal(
        await git(repo.bare, "log", "-1", "--format=%an <%ae>", "main"),
        "Flux <flux@company.com>",
      );
      assert.equal(
        await git(repo.bare, "diff", "--name-only", initial, "main"),
        "deploy/base/deployment.yaml\ndeploy/overlays/production/kustomization.yaml",
      );
      const overlay = await git(
        repo.bare,
        "show",
        "main:deploy/overlays/production/kustomization.yaml",
      );
      assert.match(
        overlay,
        /newTag: "1\.1\.0" # \{"\$imagepolicy": "flux-system:payment-api:tag"\}/,
      );
      const base = await git(repo.bare, "show", "main:deploy/base/deployment.yaml");
      assert.match(base, /# the image is kept current by skiff\n +image: .*payment-api:1\.1\.0 #/);

      const again = await cycle();
      assert.equal(again.commit, undefined, "a second run commits nothing");
      assert.equal(await git(repo.bare, "rev-parse", "main"), first.commit);

      await pushImage(registry, "payment-api", ["1.2.0", "1.2.0-rc.1"], { credentials: alice });
      const second = await cycle();
      assert.ok(second.commit);
      assert.equal(await git(repo.bare, "rev-parse", "main~1"), first.commit);
      assert.equal(
        await git(repo.bare, "log", "-1", "--format=%s", "main"),
        `chore: update image to ${image}:1.2.0`,
      );
      if (auth === "token") assert.ok(registry.tokensIssued() > 0);
    } finally {
      await server.stop();
      await registry.stop();
      await tmp.remove();
    }
  });
}

Deno.test(
  "a commit lands on the branch mid-run: skiff re-applies on it and pushes, never forcing",
  opts,
  async () => {
    const tmp = await tempDir("skiff-image-race-");
    await Deno.mkdir(`${tmp.path}/repos`);
    const server = await startGitServer({ root: `${tmp.path}/repos` });
    try {
      const image = "127.0.0.1:5000/payment-api";
      const repo = await createRepo(`${tmp.path}/repos`, "fleet-infra", seedFleetFiles(image));
      let teammate = "";
      const result = await runImageUpdateAutomation(seedAutomation, {
        source: { url: server.url("fleet-infra"), ref: { branch: "main" } },
        policies: [{
          namespace: "flux-system",
          name: "payment-api",
          latestImage: `${image}:1.1.0`,
        }],
        workDir: `${tmp.path}/cache`,
        afterCheckout: async () => {
          // A teammate scales the overlay while skiff is editing its checkout.
          if (teammate) return;
          const files = seedFleetFiles(image);
          const overlay = files["deploy/overlays/production/kustomization.yaml"] +
            "replicas:\n  - name: payment-api\n    count: 5\n";
          teammate = await repo.commit(
            { "deploy/overlays/production/kustomization.yaml": overlay },
            "scale payment-api to 5",
          );
        },
      });
      assert.ok(result.commit);
      await git(repo.bare, "fsck", "--strict");
      const log = await git(repo.bare, "log", "--format=%s", "main");
      assert.deepEqual(log.split("\n"), [
        `chore: update image to ${image}:1.1.0`,
        "scale payment-api to 5",
        "initial",
      ]);
      assert.equal(await git(repo.bare, "rev-parse", "main~1"), teammate);
      const overlay = await git(
        repo.bare,
        "show",
        "main:deploy/overlays/production/kustomization.yaml",
      );
      assert.match(overlay, /newTag: "1\.1\.0"/);
      assert.match(overlay, /count: 5/);
      // Never forced: the teammate's commit is an ancestor of what skiff pushed.
      await git(repo.bare, "merge-base", "--is-ancestor", teammate, "main");
    } finally {
      await server.stop();
      await tmp.remove();
    }
  },
);
