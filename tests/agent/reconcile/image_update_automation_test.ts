// The ImageUpdateAutomation reconciler against a real `git http-backend` and the Kubernetes API
// emulator (for the Secrets): which policies it applies, the signing key from the cluster, the
// status it reports and the GitRepository fetch it triggers after a push.
import assert from "node:assert/strict";
import { loadConfigText } from "../../../agent/config/mod.ts";
import { ImageStore } from "../../../agent/images/mod.ts";
import { reconcileImageUpdateAutomation } from "../../../agent/reconcile/image_update_automation.ts";
import type { Outcome } from "../../../agent/reconcile/mod.ts";
import { startApiServer } from "../../apiserver/mod.ts";
import { createRepo, git, startGitServer } from "../../support/git_server.ts";
import { tempDir } from "../../support/process.ts";
import { adminClient, createSecret, seedFluxSystem } from "../../e2e/harness.ts";
import { reconcileEnv } from "./reconcile_env.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };
const IMAGE = "registry.example.com/company";
const GIT_AUTH = { username: "bot", password: "push-secret" };

const files = {
  "apps/web.yaml": `kind: Deployment
spec:
  image: ${IMAGE}/web:1.0.0 # {"$imagepolicy": "flux-system:web"}
`,
  "apps/api.yaml": `kind: Deployment
spec:
  image: ${IMAGE}/api:1.0.0 # {"$imagepolicy": "flux-system:api"}
`,
};

/** The config: two policies (team web and api) and an automation selecting team web only. */
function configText(url: string, git: string): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: fleet, namespace: flux-system}
spec: {url: "${url}", interval: 1h, ref: {branch: main}, secretRef: {name: git-auth}}
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: {name: web, namespace: flux-system}
spec: {image: ${IMAGE}/web, interval: 1h}
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: {name: api, namespace: flux-system}
spec: {image: ${IMAGE}/api, interval: 1h}
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata: {name: web, namespace: flux-system, labels: {team: web}}
spec: {imageRepositoryRef: {name: web}, policy: {semver: {range: ">=1.0.0"}}}
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata: {name: api, namespace: flux-system, labels: {team: api}}
spec: {imageRepositoryRef: {name: api}, policy: {semver: {range: ">=1.0.0"}}}
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 1h
  sourceRef: {kind: GitRepository, name: fleet}
  policySelector:
    matchExpressions: [{key: team, operator: In, values: [web, frontend]}]
  update: {path: ./apps}
  git:
${git}
`;
}

const GIT_SIGNED = `    commit:
      author: {name: skiff, email: skiff@example.com}
      messageTemplate: "bump{{range .Changed.Changes}} {{.NewValue}}{{end}}"
      signingKey: {secretRef: {name: signing-key}}
    push: {branch: main}`;

async function setup() {
  const tmp = await tempDir("skiff-iua-reconcile-");
  await Deno.mkdir(`${tmp.path}/repos`);
  const server = await startGitServer({ root: `${tmp.path}/repos`, auth: GIT_AUTH });
  const repo = await createRepo(`${tmp.path}/repos`, "fleet", files);
  const api = await startApiServer();
  const client = await adminClient(api);
  seedFluxSystem(api, { "git-auth": GIT_AUTH });
  const secret = (name: string, values: Record<string, string>) => createSecret(api, name, values);
  const triggered: string[] = [];
  const images = new ImageStore();
  images.setLatest("ImagePolicy/flux-system/web", `${IMAGE}/web:1.1.0`);
  images.setLatest("ImagePolicy/flux-system/api", `${IMAGE}/api:2.0.0`);
  /** Runs the automation of a config whose `spec.git` is `gitSpec`. */
  const reconcile = async (gitSpec: string): Promise<Outcome> => {
    const config = loadConfigText(configText(server.url("fleet"), gitSpec), "skiff.yaml");
    const env = reconcileEnv(config, client, `${tmp.path}/cache`, {
      images,
      trigger: (key) => triggered.push(key),
    });
    const automation = config.get("ImageUpdateAutomation", "flux-system", "apps");
    assert.ok(automation);
    return await reconcileImageUpdateAutomation(automation, env);
  };
  return {
    repo,
    secret,
    triggered,
    reconcile,
    head: () => git(repo.bare, "rev-parse", "main"),
    async [Symbol.asyncDispose]() {
      await api.stop();
      await server.stop();
      await tmp.remove();
    },
  };
}

async function armoredKey(): Promise<string> {
  const openpgp = await import("openpgp");
  const { privateKey } = await openpgp.generateKey({
    type: "ecc",
    curve: "curve25519Legacy",
    userIDs: [{ name: "skiff", email: "skiff@example.com" }],
    format: "armored",
  });
  return privateKey;
}

Deno.test(
  "pushes one signed commit for the policies matchExpressions selects, then fetches the source",
  opts,
  async () => {
    await using env = await setup();
    env.secret("signing-key", { "git.asc": await armoredKey() });

    const pushed = await env.reconcile(GIT_SIGNED);
    const head = await env.head();
    assert.deepEqual(pushed, {
      ready: "True",
      reason: "Succeeded",
      message: `pushed commit '${head.slice(0, 7)}' to branch 'main'`,
      revision: head,
      applied: true,
    });
    assert.deepEqual(env.triggered, ["GitRepository/flux-system/fleet"]);
    assert.equal(
      await git(env.repo.bare, "log", "-1", "--format=%an <%ae>|%s", "main"),
      `skiff <skiff@example.com>|bump ${IMAGE}/web:1.1.0`,
    );
    assert.match(await git(env.repo.bare, "cat-file", "commit", head), /^gpgsig -----BEGIN PGP/m);
    assert.match(await git(env.repo.bare, "show", "main:apps/web.yaml"), /web:1\.1\.0 #/);
    // Team api is not selected: its newer image stays out of Git.
    assert.match(await git(env.repo.bare, "show", "main:apps/api.yaml"), /api:1\.0\.0 #/);
    await git(env.repo.bare, "fsck", "--strict");

    const again = await env.reconcile(GIT_SIGNED);
    assert.deepEqual(again, {
      ready: "True",
      reason: "Succeeded",
      message: "repository up-to-date",
      revision: head,
    });
    assert.equal(env.triggered.length, 1, "nothing pushed, nothing to fetch");
    assert.equal(await env.head(), head);
  },
);

Deno.test("a refspec destination is named in the status after the push", opts, async () => {
  await using env = await setup();
  const outcome = await env.reconcile(`    commit: {author: {email: skiff@example.com}}
    push: {branch: main, refspec: "refs/heads/main:refs/heads/release"}`);
  const head = await env.head();
  assert.equal(
    outcome.message,
    `pushed commit '${head.slice(0, 7)}' to branch 'main' and refspecs ` +
      `'refs/heads/main:refs/heads/release'`,
  );
  assert.equal(await git(env.repo.bare, "rev-parse", "release"), head);
});

Deno.test(
  "failures keep the library's reason and name what to fix; nothing is pushed",
  opts,
  async () => {
    await using env = await setup();
    const before = await env.head();

    const missing = await env.reconcile(GIT_SIGNED);
    assert.equal(missing.ready, "False");
    assert.equal(missing.reason, "GitOperationFailed");
    assert.equal(
      missing.message,
      "ImageUpdateAutomation flux-system/apps: spec.git.commit.signingKey.secretRef: " +
        "Secret flux-system/signing-key does not exist",
    );

    env.secret("signing-key", { identity: "not a PGP key" });
    const wrongKey = await env.reconcile(GIT_SIGNED);
    assert.equal(wrongKey.reason, "GitOperationFailed");
    assert.match(wrongKey.message, /Secret flux-system\/signing-key: has no 'git\.asc'/);

    const forced = await env.reconcile(`    commit: {author: {email: skiff@example.com}}
    push: {branch: main, refspec: "+main:main"}`);
    assert.equal(forced.reason, "InvalidSourceConfiguration");
    assert.match(
      forced.message,
      /^ImageUpdateAutomation flux-system\/apps: spec\.git\.push\.refspec/,
    );

    const template = await env.reconcile(`    commit:
      author: {email: skiff@example.com}
      messageTemplate: "{{ .Nope"`);
    assert.equal(template.reason, "InvalidCommitMessage");

    assert.equal(await env.head(), before);
    assert.deepEqual(env.triggered, []);
  },
);
