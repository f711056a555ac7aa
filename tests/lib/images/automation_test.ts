// runImageUpdateAutomation against a real `git http-backend` (basic auth), checked with the
// real git: one commit per run, nothing when nothing changed, re-apply when the branch moves,
// never a force push.
import assert from "node:assert/strict";
import {
  type AutomationObject,
  pushTargetOf,
  type RunAutomationOptions,
  runImageUpdateAutomation,
  selectsPolicy,
  signingKeyFromSecret,
} from "../../../lib/images/automation/mod.ts";
import { createRepo, git, startGitServer } from "../../support/git_server.ts";
import { tempDir } from "../../support/process.ts";
import { seedFleetFiles } from "../../support/seed_fleet_repo.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };
const IMAGE = "registry.example.com/payment-api";
const BASE = "deploy/base/deployment.yaml";
const OVERLAY = "deploy/overlays/production/kustomization.yaml";

// Flux's documented template for current API versions (ranges over .Changed.Objects).
const FLUX_TEMPLATE = `Automated image update

Automation name: {{ .AutomationObject }}

Files:
{{ range $filename, $_ := .Changed.FileChanges -}}
- {{ $filename }}
{{ end -}}

Objects:
{{ range $resource, $changes := .Changed.Objects -}}
- {{ $resource.Kind }} {{ $resource.Name }}
  Changes:
{{- range $_, $change := $changes }}
    - {{ $change.OldValue }} -> {{ $change.NewValue }}
{{ end -}}
{{ end -}}`;

function automation(git: Partial<NonNullable<AutomationObject["spec"]["git"]>> = {}) {
  return {
    metadata: { name: "flux-system", namespace: "flux-system" },
    spec: {
      git: {
        checkout: { ref: { branch: "main" } },
        commit: { author: { name: "Flux", email: "flux@company.com" }, messageTemplate: "bump" },
        push: { branch: "main" },
        ...git,
      },
      update: { path: "./deploy", strategy: "Setters" },
    },
  } satisfies AutomationObject;
}

async function setup() {
  const tmp = await tempDir("skiff-automation-");
  const root = `${tmp.path}/repos`;
  await Deno.mkdir(root);
  const auth = { username: "bot", password: "push-secret" };
  const server = await startGitServer({ root, auth });
  const repo = await createRepo(root, "fleet", seedFleetFiles(IMAGE));
  const options = (latest: string, extra: Partial<RunAutomationOptions> = {}) => ({
    source: { url: server.url("fleet"), ref: { branch: "main" }, secret: { ...auth } },
    policies: [{ namespace: "flux-system", name: "payment-api", latestImage: latest }],
    workDir: `${tmp.path}/work`,
    clock: () => new Date("2026-01-02T03:04:05Z"),
    ...extra,
  });
  return {
    repo,
    options,
    show: (rev: string, file: string) => git(repo.bare, "show", `${rev}:${file}`),
    async [Symbol.asyncDispose]() {
      await server.stop();
      await tmp.remove();
    },
  };
}

Deno.test(
  "one commit with Flux's documented template; a second run commits nothing",
  opts,
  async () => {
    await using env = await setup();
    const before = await git(env.repo.bare, "rev-parse", "main");
    const result = await runImageUpdateAutomation(
      automation({
        commit: {
          author: { name: "Flux", email: "flux@company.com" },
          messageTemplate: FLUX_TEMPLATE,
        },
      }),
      env.options(`${IMAGE}:1.2.0`),
    );
    assert.ok(result.commit);
    assert.equal(result.pushedTo, "main");
    assert.equal(result.attempts, 1);
    assert.deepEqual(result.changes.map((c) => `${c.file} ${c.oldValue} -> ${c.newValue}`), [
      `${BASE} ${IMAGE}:1.0.0 -> ${IMAGE}:1.2.0`,
      `${OVERLAY} 1.0.0 -> 1.2.0`,
    ]);
    await git(env.repo.bare, "fsck", "--strict");
    assert.equal(await git(env.repo.bare, "rev-parse", "main"), result.commit);
    assert.equal(await git(env.repo.bare, "rev-parse", "main~1"), before);
    assert.equal(
      await git(env.repo.bare, "log", "-1", "--format=%an <%ae>|%aI", "main"),
      "Flux <flux@company.com>|2026-01-02T03:04:05+00:00",
    );
    assert.equal(
      await git(env.repo.bare, "log", "-1", "--format=%B", "main"),
      `Automated image update

Automation name: flux-system/flux-system

Files:
- ${BASE}
- ${OVERLAY}
Objects:
- Deployment payment-api
  Changes:
    - ${IMAGE}:1.0.0 -> ${IMAGE}:1.2.0
- Kustomization 
  Changes:
    - 1.0.0 -> 1.2.0`,
    );
    assert.equal(
      await git(env.repo.bare, "diff", "--numstat", "main~1", "main"),
      `1\t1\t${BASE}\n1\t1\t${OVERLAY}`,
    );
    assert.match(
      await env.show("main", BASE),
      /image: .*:1\.2\.0 # \{"\$imagepolicy": "flux-system:payment-api"\}/,
    );
    assert.match(await env.show("main", OVERLAY), /newTag: "1\.2\.0" # \{"\$imagepolicy"/);

    const again = await runImageUpdateAutomation(automation(), env.options(`${IMAGE}:1.2.0`));
    assert.equal(again.commit, undefined);
    assert.deepEqual(again.changes, []);
    assert.equal(again.revision, result.commit);
    assert.equal(await git(env.repo.bare, "rev-parse", "main"), result.commit);
  },
);

Deno.test("v1beta1 templates read .Updated (the seed's message)", opts, async () => {
  await using env = await setup();
  const result = await runImageUpdateAutomation(
    automation({
      commit: {
        author: { name: "Flux", email: "flux@company.com" },
        messageTemplate: "chore: update image to {{range .Updated.Images}}{{println .}}{{end}}",
      },
    }),
    env.options(`${IMAGE}:1.1.0`),
  );
  assert.equal(result.message, `chore: update image to ${IMAGE}:1.1.0\n`);
  assert.equal(
    await git(env.repo.bare, "log", "-1", "--format=%s", "main"),
    `chore: update image to ${IMAGE}:1.1.0`,
  );
});

Deno.test(
  "a concurrent commit elsewhere: setters re-applied on the new head, linear history",
  opts,
  async () => {
    await using env = await setup();
    let other = "";
    const result = await runImageUpdateAutomation(
      automation(),
      env.options(`${IMAGE}:1.3.0`, {
        afterCheckout: async () => {
          if (!other) other = await env.repo.commit({ "docs/notes.md": "hello\n" }, "concurrent");
        },
      }),
    );
    assert.ok(result.commit);
    await git(env.repo.bare, "fsck", "--strict");
    const log = await git(env.repo.bare, "log", "--format=%H %s", "-3", "main");
    assert.deepEqual(log.split("\n").map((l) => l.split(" ")[1]), [
      "bump",
      "concurrent",
      "initial",
    ]);
    assert.equal(await git(env.repo.bare, "rev-parse", "main~1"), other);
    assert.equal(await env.show("main", "docs/notes.md"), "hello");
    assert.match(await env.show("main", BASE), /:1\.3\.0 #/);
  },
);

Deno.test(
  "a concurrent commit to the same field: starts over so the message tells the truth",
  opts,
  async () => {
    await using env = await setup();
    let moved = false;
    const result = await runImageUpdateAutomation(
      automation({
        commit: {
          author: { name: "Flux", email: "flux@company.com" },
          messageTemplate: "{{range .Changed.Changes}}{{.OldValue}}->{{.NewValue}} {{end}}",
        },
      }),
      env.options(`${IMAGE}:2.0.0`, {
        afterCheckout: async () => {
          if (moved) return;
          moved = true;
          await env.repo.commit({ ...seedFleetFiles(IMAGE, "1.5.0") }, "manual bump to 1.5.0");
        },
      }),
    );
    assert.equal(result.attempts, 2);
    assert.equal(
      await git(env.repo.bare, "log", "--format=%s", "-2", "main"),
      `${IMAGE}:1.5.0->${IMAGE}:2.0.0 1.5.0->2.0.0\nmanual bump to 1.5.0`,
    );
    await git(env.repo.bare, "fsck", "--strict");
  },
);

Deno.test(
  "a branch that keeps moving: bounded retries, then PushRejected, nothing forced",
  opts,
  async () => {
    await using env = await setup();
    let n = 0;
    const err = await runImageUpdateAutomation(
      automation(),
      env.options(`${IMAGE}:2.0.0`, {
        retries: 1,
        afterCheckout: async () => {
          n++;
          await env.repo.commit(seedFleetFiles(IMAGE, `1.0.${n}`), `someone else ${n}`);
        },
      }),
    ).catch((e) => e);
    assert.equal(err.name, "AutomationError");
    assert.equal(err.reason, "PushRejected");
    assert.match(
      err.message,
      /gave up pushing to branch "main" after 2 attempts, nothing was forced/,
    );
    assert.equal(n, 2);
    assert.equal(await git(env.repo.bare, "log", "-1", "--format=%s", "main"), "someone else 2");
  },
);

Deno.test(
  "push.branch: created from the checkout branch, then commits go on top of it",
  opts,
  async () => {
    await using env = await setup();
    const spec = automation({ push: { branch: "image-updates" } });
    const first = await runImageUpdateAutomation(spec, env.options(`${IMAGE}:1.1.0`));
    assert.equal(first.pushedTo, "image-updates");
    assert.equal(
      await git(env.repo.bare, "rev-parse", "image-updates~1"),
      await git(env.repo.bare, "rev-parse", "main"),
    );
    assert.match(await env.show("main", BASE), /:1\.0\.0 #/);
    const second = await runImageUpdateAutomation(spec, env.options(`${IMAGE}:1.2.0`));
    assert.equal(await git(env.repo.bare, "rev-parse", "image-updates~1"), first.commit);
    assert.equal(await git(env.repo.bare, "rev-parse", "image-updates"), second.commit);
  },
);

Deno.test("signingKey: the commit carries an OpenPGP signature", opts, async () => {
  await using env = await setup();
  const openpgp = await import("openpgp");
  const { privateKey } = await openpgp.generateKey({
    type: "ecc",
    curve: "curve25519Legacy",
    userIDs: [{ name: "Flux", email: "flux@company.com" }],
    format: "armored",
  });
  const result = await runImageUpdateAutomation(
    automation(),
    env.options(`${IMAGE}:1.1.0`, {
      signingKey: signingKeyFromSecret({ "git.asc": privateKey }, "flux-system/signing-key"),
    }),
  );
  assert.match(
    await git(env.repo.bare, "cat-file", "commit", result.commit!),
    /gpgsig -----BEGIN PGP SIGNATURE-----/,
  );
  assert.throws(
    () => signingKeyFromSecret({ identity: "x" }, "flux-system/signing-key"),
    /signingKey: Secret flux-system\/signing-key: has no 'git\.asc'/,
  );
});

Deno.test("failures have reasons and push nothing", opts, async () => {
  await using env = await setup();
  const head = await git(env.repo.bare, "rev-parse", "main");
  const failure = async (a: AutomationObject, extra: Partial<RunAutomationOptions> = {}) =>
    await runImageUpdateAutomation(a, { ...env.options(`${IMAGE}:1.1.0`), ...extra }).catch((e) =>
      e
    );

  const template = await failure(automation({
    commit: { author: { email: "a@b.c" }, messageTemplate: "{{ .Changed.Nope }}" },
  }));
  assert.equal(template.reason, "InvalidCommitMessage");
  assert.match(template.message, /messageTemplate: failed to run template: .*Nope/);

  const tag = await failure(automation({ checkout: { ref: { tag: "v1" } } }));
  assert.equal(tag.reason, "InvalidSourceConfiguration");
  assert.match(tag.message, /spec\.git\.checkout\.ref names tag "v1"/);

  const refspec = await failure(automation({ push: { refspec: "other:refs/heads/auto" } }));
  assert.equal(refspec.reason, "InvalidSourceConfiguration");
  assert.match(refspec.message, /the source must be HEAD or the branch the commit is made on/);

  const forced = await failure(automation({ push: { refspec: "+main:main" } }));
  assert.match(forced.message, /force-update refspecs are not supported/);

  const strategy = await failure({
    ...automation(),
    spec: { ...automation().spec, update: { strategy: "Other" } },
  });
  assert.equal(strategy.reason, "InvalidUpdateStrategy");

  const auth = await failure(automation(), {
    source: { url: env.options("").source.url, secret: { username: "bot", password: "wrong" } },
  });
  assert.equal(auth.reason, "GitOperationFailed");
  assert.doesNotMatch(auth.message, /wrong/);

  const options = await failure(automation({ push: { options: { "ci.skip": "" } } }));
  assert.equal(options.reason, "GitOperationFailed");
  assert.match(options.message, /does not accept push options/);

  assert.equal(await git(env.repo.bare, "rev-parse", "main"), head);
});

Deno.test("a matching refspec is the push branch itself and is accepted", opts, async () => {
  await using env = await setup();
  const result = await runImageUpdateAutomation(
    automation({ push: { refspec: "refs/heads/main:refs/heads/main" } }),
    env.options(`${IMAGE}:1.1.0`),
  );
  assert.equal(result.pushedTo, "main");
});

Deno.test("push.refspec: the commit also goes to the refspec's destination", opts, async () => {
  await using env = await setup();
  const spec = automation({
    push: { branch: undefined, refspec: "refs/heads/main:refs/heads/auto" },
  });
  const first = await runImageUpdateAutomation(spec, env.options(`${IMAGE}:1.1.0`));
  assert.equal(first.pushedTo, "main");
  assert.equal(first.alsoPushedTo, "refs/heads/auto");
  assert.equal(await git(env.repo.bare, "rev-parse", "main"), first.commit);
  assert.equal(await git(env.repo.bare, "rev-parse", "auto"), first.commit);
  // The next commit fast-forwards both.
  const second = await runImageUpdateAutomation(spec, env.options(`${IMAGE}:1.2.0`));
  assert.equal(await git(env.repo.bare, "rev-parse", "auto"), second.commit);
  await git(env.repo.bare, "fsck", "--strict");

  // A destination that went its own way is not overwritten.
  await env.repo.git("switch", "--quiet", "-c", "auto");
  const diverged = await env.repo.commit({ "elsewhere.txt": "x\n" }, "diverged");
  await env.repo.switch("main");
  const err = await runImageUpdateAutomation(spec, env.options(`${IMAGE}:1.3.0`)).catch((e) => e);
  assert.equal(err.reason, "PushRejected");
  assert.match(err.message, /was pushed to branch "main", but not to refs\/heads\/auto/);
  assert.match(err.message, /not a fast-forward/);
  assert.equal(await git(env.repo.bare, "rev-parse", "auto"), diverged);
  assert.match(await env.show("main", BASE), /:1\.3\.0 #/);
});

Deno.test("policySelector: matchLabels and matchExpressions as Kubernetes selects", () => {
  const labels = { app: "web", tier: "front" };
  assert.ok(selectsPolicy(undefined, labels));
  assert.ok(selectsPolicy({}, labels));
  assert.ok(selectsPolicy({ matchLabels: { app: "web" } }, labels));
  assert.ok(!selectsPolicy({ matchLabels: { app: "api" } }, labels));
  const expr = (operator: string, values?: string[]) => ({
    matchExpressions: [{ key: "tier", operator, values }],
  });
  assert.ok(selectsPolicy(expr("In", ["front", "back"]), labels));
  assert.ok(!selectsPolicy(expr("In", ["back"]), labels));
  assert.ok(selectsPolicy(expr("NotIn", ["back"]), labels));
  assert.ok(selectsPolicy(expr("NotIn", ["back"]), {}));
  assert.ok(selectsPolicy(expr("Exists"), labels));
  assert.ok(!selectsPolicy(expr("Exists"), {}));
  assert.ok(selectsPolicy(expr("DoesNotExist"), {}));
  assert.ok(!selectsPolicy(expr("DoesNotExist"), labels));
});

Deno.test("push target: push branch defaults to the checkout branch, then the source's", () => {
  const source = { url: "https://example.com/x", ref: { branch: "trunk" } };
  const bare = { metadata: { name: "a", namespace: "ns" }, spec: {} };
  assert.deepEqual(pushTargetOf(bare, source), { checkoutBranch: "trunk", pushBranch: "trunk" });
  assert.deepEqual(
    pushTargetOf(automation({ push: { branch: "" } }), source),
    { checkoutBranch: "main", pushBranch: "main" },
  );
  assert.deepEqual(
    pushTargetOf(bare, { ...source, ref: { name: "refs/heads/dev" } }),
    { checkoutBranch: "dev", pushBranch: "dev" },
  );
  assert.deepEqual(
    pushTargetOf(automation({ push: { refspec: "HEAD:refs/for/main" } }), source),
    { checkoutBranch: "main", pushBranch: "main", alsoPushTo: "refs/for/main" },
  );
  const commit = pushTargetOf(bare, { ...source, ref: { commit: "abc1234" } });
  assert.ok("problem" in commit);
  assert.match(commit.problem, /the GitRepository's spec\.ref names commit abc1234/);
});

Deno.test("each change names the field it rewrote", opts, async () => {
  await using env = await setup();
  const result = await runImageUpdateAutomation(automation(), env.options(`${IMAGE}:1.1.0`));
  assert.deepEqual(result.changes.map((c) => `${c.file} ${c.field}`), [
    `${BASE} spec.template.spec.containers[0].image`,
    `${OVERLAY} images[0].newTag`,
  ]);
});

Deno.test("push.options reach the server's hooks, as `git push -o` sends them", opts, async () => {
  await using env = await setup();
  await git(env.repo.bare, "config", "receive.advertisePushOptions", "true");
  const seen = `${env.repo.bare}/push-options.txt`;
  await Deno.writeTextFile(
    `${env.repo.bare}/hooks/post-receive`,
    `#!/bin/sh\ni=0\nwhile [ $i -lt "\${GIT_PUSH_OPTION_COUNT:-0}" ]; do\n` +
      `  eval "echo \\"\\$GIT_PUSH_OPTION_$i\\"" >> ${seen}\n  i=$((i+1))\ndone\n`,
  );
  await Deno.chmod(`${env.repo.bare}/hooks/post-receive`, 0o755);
  const result = await runImageUpdateAutomation(
    automation({
      push: {
        branch: "dev",
        options: { "merge_request.create": "", "merge_request.target": "main" },
      },
    }),
    env.options(`${IMAGE}:1.1.0`),
  );
  assert.equal(result.pushedTo, "dev");
  assert.equal(
    await Deno.readTextFile(seen),
    "merge_request.create\nmerge_request.target=main\n",
  );
});
