// The bootstrap story, as a user runs it: `skiff bootstrap git` into a repository that already
// has content, the agent (in-process, pointed at the emulator, with the config bootstrap put in
// its ConfigMap — as the Deployment would run it) applies `<path>`; a second bootstrap commits
// nothing; a new image tag committed to Git is applied by the agent to its own Deployment;
// `skiff uninstall` removes skiff and leaves the workloads.
import assert from "node:assert/strict";
import { main } from "../../main.ts";
import { startApiServer } from "../apiserver/mod.ts";
import { createRepo, git, startGitServer } from "../support/git_server.ts";
import { type RunningAgent, startAgent } from "../../agent/run.ts";
import { Logger } from "../../lib/log/mod.ts";
import { e2eOpts as opts, eventually } from "./harness.ts";

const PASSWORD = "s3cret-e2e-password";
const PASSWORD_ENV = "SKIFF_E2E_BOOTSTRAP_PASSWORD";

type Obj = Record<string, unknown>;
const imageOf = (d: Obj | undefined) =>
  ((d?.spec as Obj)?.template as { spec: { containers: Array<{ image: string }> } } | undefined)
    ?.spec.containers[0].image;

Deno.test("bootstrap, self-upgrade from Git, re-run, uninstall", opts, async () => {
  const dir = await Deno.makeTempDir({ prefix: "skiff-e2e-bootstrap-" });
  const api = await startApiServer({ rolloutDelayMs: 50 });
  const server = await startGitServer({
    root: `${dir}/git`,
    auth: { username: "bot", password: PASSWORD },
  });
  const repo = await createRepo(`${dir}/git`, "fleet", {
    "README.md": "# fleet\n",
    "clusters/staging/app.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: staging}\n",
    "clusters/production/web.yaml":
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, namespace: default}\ndata: {a: '1'}\n",
  });
  const initial = await repo.git("rev-parse", "HEAD");
  const logs: string[] = [];
  let agent: RunningAgent | undefined;
  Deno.env.set(PASSWORD_ENV, PASSWORD);
  const args = [
    "bootstrap",
    "git",
    "--url",
    server.url("fleet"),
    "--path",
    "clusters/production",
    "--username",
    "bot",
    "--password-env",
    PASSWORD_ENV,
    "--interval",
    "1s",
    "--image",
    "ghcr.io/skiff-dev/skiff:v0.1.0",
    "--kubeconfig",
    api.kubeconfigPath,
    "--timeout",
    "30s",
  ];
  const store = api.store;
  try {
    // 1. Bootstrap; the "pod" starts once its Deployment and ConfigMap exist.
    const bootstrapping = main(args);
    const config = await eventually(
      "ConfigMap skiff-config",
      () => store.get("v1", "ConfigMap", "skiff-config", "skiff-system"),
      20_000,
    );
    const configPath = `${dir}/skiff.yaml`;
    await Deno.writeTextFile(configPath, (config.data as Record<string, string>)["skiff.yaml"]);
    agent = await startAgent({
      configPath,
      logger: new Logger({ level: "debug", sink: { write: (line) => logs.push(line) } }),
      kubeconfig: api.kubeconfigPath,
      serverAddress: "127.0.0.1:0",
      cacheDir: `${dir}/cache`,
    });
    assert.equal(
      await bootstrapping,
      0,
      logs.filter((l) => !l.includes("DEBUG reconciling")).slice(-30).join("\n"),
    );

    // Git: one commit on top, only under clusters/production/skiff-system, no secret in it.
    const head = await git(repo.bare, "rev-parse", "main");
    assert.equal(await git(repo.bare, "rev-parse", "main~1"), initial);
    const changed = (await git(repo.bare, "diff", "--name-only", initial, "main")).split("\n");
    assert.ok(
      changed.every((p) => p.startsWith("clusters/production/skiff-system/")),
      changed.join(),
    );
    assert.equal(
      await git(repo.bare, "show", "main:clusters/staging/app.yaml"),
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: staging}",
    );
    assert.equal(await git(repo.bare, "grep", "-c", PASSWORD, "main").catch(() => "none"), "none");
    await git(repo.bare, "fsck", "--strict");

    // Cluster: skiff installed, its credentials only here, the workload applied by the agent.
    const deployment = store.get("apps/v1", "Deployment", "skiff", "skiff-system");
    assert.equal(imageOf(deployment), "ghcr.io/skiff-dev/skiff:v0.1.0");
    const secret = store.get("v1", "Secret", "skiff-git-credentials", "skiff-system");
    assert.equal(atob((secret?.data as Record<string, string>).password), PASSWORD);
    assert.ok(store.get("rbac.authorization.k8s.io/v1", "ClusterRole", "skiff-reconciler"));
    assert.ok(store.get("v1", "ConfigMap", "web", "default"), "the agent applied <path>");
    const status = agent.core.statuses.get("Kustomization/skiff-system/skiff-system");
    assert.equal(status?.revision, `main@sha1:${head}`);
    assert.ok(!logs.some((l) => l.includes(PASSWORD)), "the password never reaches a log line");

    // 2. The same bootstrap again: nothing to commit, nothing to change.
    assert.equal(await main(args), 0);
    assert.equal(await git(repo.bare, "rev-parse", "main"), head);

    // 3. A new image tag committed to Git: the agent upgrades its own Deployment.
    await repo.git("fetch", "--quiet", "origin", "main");
    await repo.git("reset", "--quiet", "--hard", "FETCH_HEAD");
    const path = "clusters/production/skiff-system/deployment.yaml";
    const text = await Deno.readTextFile(`${repo.work}/${path}`);
    const upgrade = await repo.commit({
      [path]: text.replace("skiff:v0.1.0", "skiff:v0.2.0"),
    }, "upgrade skiff");
    await eventually(
      "the agent's Deployment on v0.2.0",
      () =>
        imageOf(store.get("apps/v1", "Deployment", "skiff", "skiff-system")) ===
          "ghcr.io/skiff-dev/skiff:v0.2.0",
      20_000,
      logs,
    );
    await eventually(
      "the upgrade recorded",
      () =>
        agent!.core.statuses.get("Kustomization/skiff-system/skiff-system")?.revision ===
          `main@sha1:${upgrade}`,
      10_000,
      logs,
    );

    // 4. Uninstall. The agent's pod dies with its Deployment: stop the in-process agent first.
    await agent.stop();
    agent = undefined;
    assert.equal(await main(["uninstall", "--yes", "--kubeconfig", api.kubeconfigPath]), 0);
    assert.equal(store.get("apps/v1", "Deployment", "skiff", "skiff-system"), undefined);
    assert.equal(
      store.get("rbac.authorization.k8s.io/v1", "ClusterRole", "skiff-reconciler"),
      undefined,
    );
    assert.equal(store.get("v1", "Secret", "skiff-git-credentials", "skiff-system"), undefined);
    await eventually("namespace gone", () => !store.get("v1", "Namespace", "skiff-system"), 10_000);
    assert.ok(store.get("v1", "ConfigMap", "web", "default"), "workloads stay without --prune");
  } finally {
    Deno.env.delete(PASSWORD_ENV);
    await agent?.stop();
    await server.stop();
    await api.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
