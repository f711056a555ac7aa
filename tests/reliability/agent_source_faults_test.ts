// Source faults through a running agent. Git: the server down, answering 500, refusing the
// Secret's password after a rotation (401), and the branch deleted upstream; the GitRepository
// reports why (GET /api/v1/status), the Kustomization keeps the last good revision applied and
// prunes nothing, and the agent recovers. Registry: down, 401, 429 and garbage JSON under image
// automation; the ImageRepository reports why, the ImagePolicy keeps its tag, no commit is made,
// and recovery makes exactly one.
//
// The agent reaches the real git http-backend and docker-registry through a fault proxy (500s,
// 401s, 429s, garbage) behind a TCP relay that can be taken down on a fixed port.
import assert from "node:assert/strict";
import { git } from "../support/git_server.ts";
import { type Credentials, pushImage, startRegistry } from "../support/registry.ts";
import {
  adminClient,
  type ApiServer,
  configMap,
  e2eOpts as opts,
  eventually,
  gitRepository,
  imageOf,
  imageUpdateAutomation,
  kustomization,
  seedFluxSystem,
  startWorld,
  type World,
} from "../e2e/harness.ts";
import {
  type AgentHandle,
  type ObjectRef,
  reconcile,
  resourceVersions,
  settledVersions,
  type StatusEntry,
  statusOf,
  storedInventory,
  waitForStatus,
} from "./agent_status.ts";
import { type FaultProxy, startFaultProxy } from "./fault_proxy.ts";
import { recordScenario } from "./record.ts";
import { leakScanner, TEST_SECRETS } from "./secrets.ts";
import { startTcpRelay, type TcpRelay } from "./tcp_relay.ts";

const GIT_USER = "fleet-bot";

function basic(username: string, password: string): string {
  return `Basic ${btoa(`${username}:${password}`)}`;
}

/** The proxy as a Git server that accepts only `password` (what a rotation changes). */
function requirePassword(proxy: FaultProxy, password: string): void {
  proxy.rule = (request) =>
    request.headers.get("authorization") === basic(GIT_USER, password)
      ? undefined
      : new Response("authentication required\n", {
        status: 401,
        headers: { "www-authenticate": 'Basic realm="git"' },
      });
}

function gitRepositoryWithSecret(url: string): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: fleet, namespace: flux-system}
spec:
  interval: 1h
  url: ${url}
  ref: {branch: main}
  secretRef: {name: git-auth}
`;
}

/** Writes a Secret's stringData through the API, as `kubectl apply` would. */
async function applySecret(
  api: ApiServer,
  name: string,
  stringData: Record<string, string>,
): Promise<void> {
  const client = await adminClient(api);
  try {
    await client.apply({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name, namespace: "flux-system" },
      stringData,
    }, { fieldManager: "operator", force: true });
  } finally {
    client.transport.close();
  }
}

/** Everything an operator could read: the status API's answer, the logs, the Events. */
async function observable(agent: AgentHandle, api: ApiServer): Promise<string[]> {
  const status = await (await fetch(`${agent.url}/api/v1/status`)).text();
  const events = api.store.list("v1", "Event").map((e) => JSON.stringify(e));
  return [status, agent.logs.join("\n"), ...events];
}

/**
 * Asks for a run of `kind/name` now (`skiff reconcile`) and waits for one that ended after the
 * last run before the request and passes `check`.
 */
async function reconcileRun(
  agent: AgentHandle,
  kind: string,
  name: string,
  what: string,
  check: (s: StatusEntry) => boolean,
): Promise<StatusEntry> {
  const since = (await statusOf(agent, kind, name))?.lastReconcileTime;
  await reconcile(agent, kind, name);
  return await waitForStatus(
    agent,
    kind,
    name,
    what,
    (s) => (since === undefined || (s.lastReconcileTime ?? "") > since) && check(s),
  );
}

const APP_OBJECTS: ObjectRef[] = ["settings", "extra", "flags"].map((name) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  name,
  namespace: "default",
}));

interface GitRig {
  world: World;
  agent: AgentHandle;
  proxy: FaultProxy;
  relay: TcpRelay;
}

/**
 * The GitRepository is still at `good` and says why not further; the Kustomization is Ready at
 * `good`, and a forced run of it (as `skiff reconcile ks apps`) writes no object and prunes
 * nothing.
 */
async function keepsLastGood(rig: GitRig, good: string, before: string[]): Promise<void> {
  const source = await statusOf(rig.agent, "GitRepository", "fleet");
  assert.equal(source?.revision, good, "the GitRepository still serves the last good revision");
  const after = await reconcileRun(
    rig.agent,
    "Kustomization",
    "apps",
    "a forced run at the last good revision",
    () => true,
  );
  assert.equal(after.ready, "True", after.message);
  assert.equal(after.revision, good);
  assert.deepEqual(resourceVersions(rig.world.api, APP_OBJECTS), before, "nothing written");
  assert.equal(storedInventory(rig.world.api, "apps")?.revision, good);
}

/** Asks for a fetch now (`skiff reconcile source git fleet`) and waits for it to fail. */
function fetchFails(agent: AgentHandle, what: string): Promise<StatusEntry> {
  return reconcileRun(
    agent,
    "GitRepository",
    "fleet",
    `fetch fails: ${what}`,
    (s) => s.ready === "False",
  );
}

/** Fetches now and waits until the Kustomization applied `revision`. */
async function recovers(rig: GitRig, revision: string): Promise<void> {
  await reconcile(rig.agent, "GitRepository", "fleet");
  await waitForStatus(
    rig.agent,
    "GitRepository",
    "fleet",
    `Ready at ${revision}`,
    (s) => s.ready === "True" && s.revision === revision,
  );
  await waitForStatus(
    rig.agent,
    "Kustomization",
    "apps",
    `applied ${revision}`,
    (s) => s.ready === "True" && s.revision === revision,
  );
}

Deno.test("Git faults through a running agent: down, 500, 401, branch deleted", opts, async (t) => {
  const world = await startWorld({
    "apps/settings.yaml": configMap("settings", { color: "blue" }),
    "apps/extra.yaml": configMap("extra", { a: "1" }),
    "apps/flags.yaml": configMap("flags", { beta: "off" }),
  }, () => ""); // written below: the GitRepository's URL is the relay's, which needs the server

  const proxy = await startFaultProxy(new URL(world.repoUrl).origin);
  const relay = startTcpRelay(Number(new URL(proxy.origin).port));
  const leaks = leakScanner();
  try {
    await Deno.writeTextFile(
      world.configPath,
      [
        gitRepositoryWithSecret(`http://${relay.host}/fleet.git`),
        kustomization("apps", "./apps", { targetNamespace: "default" }, "1h"),
      ].join("---\n"),
    );
    seedFluxSystem(world.api, {
      "git-auth": { username: GIT_USER, password: TEST_SECRETS.gitPassword },
    });
    requirePassword(proxy, TEST_SECRETS.gitPassword);
    await world.startAgent();
    const agent: AgentHandle = { url: `http://127.0.0.1:${world.agent!.port}`, logs: world.logs };
    const rig: GitRig = { world, agent, proxy, relay };
    let good = (await waitForStatus(
      agent,
      "Kustomization",
      "apps",
      "first sync",
      (s) => s.ready === "True",
    )).revision!;
    const commit = async (files: Record<string, string | null>) =>
      `main@sha1:${await world.repo.commit(files)}`;

    await t.step("server down, then answering 500", async () => {
      const before = await settledVersions(world.api, APP_OBJECTS);
      // Applying this commit would write settings and prune extra.
      const next = await commit({
        "apps/settings.yaml": configMap("settings", { color: "green" }),
        "apps/extra.yaml": null,
      });
      await relay.down();
      const down = await fetchFails(agent, "down");
      assert.equal(down.reason, "GitOperationFailed");
      assert.match(down.message, /fleet\.git\/info\/refs.*: cannot reach the server: .*refused/);
      await keepsLastGood(rig, good, before);

      relay.up();
      proxy.rule = () => new Response("upstream exploded\n", { status: 500 });
      const failing = await fetchFails(agent, "500");
      assert.equal(failing.reason, "GitOperationFailed");
      assert.match(failing.message, /fleet\.git: HTTP 500 /);
      await keepsLastGood(rig, good, before);

      requirePassword(proxy, TEST_SECRETS.gitPassword);
      const recovering = performance.now();
      await recovers(rig, next);
      assert.equal(world.api.store.get("v1", "ConfigMap", "extra", "default"), undefined);
      good = next;
      await recordScenario("agent-git-down-500", {
        faultsInjected: 1 + proxy.faults,
        note: `commit applied ${Math.round(performance.now() - recovering)} ms after recovery`,
      });
    });

    await t.step("401 after a credential rotation", async () => {
      const before = await settledVersions(world.api, APP_OBJECTS);
      const faults = proxy.faults;
      const next = await commit({ "apps/flags.yaml": configMap("flags", { beta: "on" }) });
      requirePassword(proxy, TEST_SECRETS.rotatedGitPassword);
      const refused = await fetchFails(agent, "401");
      assert.equal(refused.reason, "AuthenticationFailed");
      assert.match(
        refused.message,
        /fleet\.git: the server refused the credentials \(HTTP 401\); check spec\.secretRef$/,
      );
      await keepsLastGood(rig, good, before);

      await applySecret(world.api, "git-auth", {
        username: GIT_USER,
        password: TEST_SECRETS.rotatedGitPassword,
      });
      const recovering = performance.now();
      await recovers(rig, next);
      const recoveredMs = Math.round(performance.now() - recovering);
      good = next;
      leaks.scan("status, logs and Events", ...await observable(agent, world.api));
      assert.equal(leaks.found, 0, `leaked in ${leaks.places.join(", ")}`);
      await recordScenario("agent-git-auth-rotation", {
        faultsInjected: proxy.faults - faults,
        secretsLeaked: leaks.found,
        note: `commit applied ${recoveredMs} ms after the Secret update`,
      });
    });

    await t.step("the branch deleted upstream", async () => {
      const before = await settledVersions(world.api, APP_OBJECTS);
      await world.repo.branch("keep");
      await git(world.repo.bare, "symbolic-ref", "HEAD", "refs/heads/keep");
      await world.repo.git("push", "--quiet", "origin", "--delete", "main");
      const gone = await fetchFails(agent, "branch deleted");
      assert.equal(gone.reason, "GitOperationFailed");
      assert.match(
        gone.message,
        /fleet\.git: branch "main" not found on the remote \(branches: keep\)/,
      );
      await keepsLastGood(rig, good, before);
      assert.equal(storedInventory(world.api, "apps")?.revision, good);

      // The branch comes back with a new commit.
      await world.repo.switch("main");
      const next = await commit({ "apps/extra.yaml": configMap("extra", { a: "back" }) });
      const recovering = performance.now();
      await recovers(rig, next);
      const recoveredMs = Math.round(performance.now() - recovering);
      const extra = world.api.store.get("v1", "ConfigMap", "extra", "default");
      assert.equal((extra?.data as Record<string, string>).a, "back");
      await recordScenario("agent-git-branch-deleted", {
        faultsInjected: 1,
        note: `new branch head applied in ${recoveredMs} ms`,
      });
    });
  } finally {
    await relay.stop();
    await proxy.stop();
    await world.stop();
  }
});

// ---- Registry faults under image automation ----

function imageConfig(gitUrl: string, image: string): string {
  return [
    gitRepository(gitUrl, "1h"),
    kustomization("apps", "./apps", { targetNamespace: "default" }, "1h"),
    `apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImageRepository
metadata: {name: app, namespace: flux-system}
spec: {image: ${image}, interval: 1h, insecure: true, secretRef: {name: regcred}}
`,
    `apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImagePolicy
metadata: {name: app, namespace: flux-system}
spec:
  imageRepositoryRef: {name: app}
  policy: {semver: {range: ">=1.0.0"}}
`,
    imageUpdateAutomation("chore: update images"),
  ].join("---\n");
}

function appDeployment(image: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers:
        - name: app
          image: ${image}:1.0.0 # {"$imagepolicy": "flux-system:app"}
`;
}

function dockerConfig(host: string, credentials: Credentials): Record<string, string> {
  return { ".dockerconfigjson": JSON.stringify({ auths: { [host]: credentials } }) };
}

interface RegistryFault {
  what: string;
  arm(): Promise<void> | void;
  disarm(): Promise<void> | void;
  /** What the ImageRepository's status must say. */
  message: RegExp;
}

Deno.test(
  "registry faults under image automation: the policy keeps its tag, no commit until recovery",
  opts,
  async () => {
    const credentials: Credentials = { username: "bot", password: TEST_SECRETS.registryPassword };
    const registry = await startRegistry({
      auth: "htpasswd",
      users: { bot: TEST_SECRETS.registryPassword },
    });
    const proxy = await startFaultProxy(registry.url);
    const relay = startTcpRelay(Number(new URL(proxy.origin).port));
    const image = `${relay.host}/team/app`;
    let world: World | undefined;
    const leaks = leakScanner();
    try {
      await pushImage(registry, "team/app", ["1.0.0"], { credentials });
      world = await startWorld(
        { "apps/deploy.yaml": appDeployment(image) },
        (url) => imageConfig(url, image),
      );
      const w = world;
      seedFluxSystem(w.api, { regcred: dockerConfig(relay.host, credentials) });
      await w.startAgent();
      const agent: AgentHandle = { url: `http://127.0.0.1:${w.agent!.port}`, logs: w.logs };
      const deployed = () => imageOf(w.api, "app");
      const commits = async () => Number(await git(w.repo.bare, "rev-list", "--count", "main"));
      await eventually("first sync", () => deployed() === `${image}:1.0.0`, 20_000, w.logs);
      await waitForStatus(agent, "ImagePolicy", "app", "resolved", (s) => s.ready === "True");
      await waitForStatus(
        agent,
        "ImageUpdateAutomation",
        "fleet",
        "up to date",
        (s) => s.message === "repository up-to-date",
      );
      const initialCommits = await commits();

      // A new tag is waiting in the registry while it cannot be read.
      await pushImage(registry, "team/app", ["1.1.0"], { credentials });
      const tagsList = (url: URL) => url.pathname.endsWith("/tags/list");
      const faults: RegistryFault[] = [
        {
          what: "down",
          arm: () => relay.down(),
          disarm: () => relay.up(),
          message: /team\/app: cannot reach 127\.0\.0\.1:\d+: .*Connection refused/,
        },
        {
          what: "401 (the Secret holds a password the registry no longer accepts)",
          arm: () =>
            applySecret(
              w.api,
              "regcred",
              dockerConfig(relay.host, { username: "bot", password: "stale-password" }),
            ),
          disarm: () => applySecret(w.api, "regcred", dockerConfig(relay.host, credentials)),
          message: /access denied \(401: UNAUTHORIZED.*check the credentials in spec\.secretRef/,
        },
        {
          what: "429",
          arm: () => {
            proxy.rule = (_req, url) =>
              tagsList(url)
                ? new Response('{"errors":[{"code":"TOOMANYREQUESTS"}]}', {
                  status: 429,
                  headers: { "retry-after": "30", "content-type": "application/json" },
                })
                : undefined;
          },
          disarm: () => (proxy.rule = undefined),
          message: /rate limited by the registry \(429: TOOMANYREQUESTS\); retry after 30s/,
        },
        {
          what: "garbage JSON",
          arm: () => {
            proxy.rule = (_req, url) =>
              tagsList(url)
                ? new Response("<html>gateway</html>{not json", {
                  status: 200,
                  headers: { "content-type": "application/json" },
                })
                : undefined;
          },
          disarm: () => (proxy.rule = undefined),
          message: /the registry's answer is not JSON: "<html>gateway/,
        },
      ];
      const messages: string[] = [];
      for (const fault of faults) {
        await fault.arm();
        const failed = await reconcileRun(
          agent,
          "ImageRepository",
          "app",
          `scan fails: ${fault.what}`,
          (s) => s.ready === "False",
        );
        assert.match(failed.message, fault.message, fault.what);
        messages.push(failed.message);
        const policy = await statusOf(agent, "ImagePolicy", "app");
        assert.equal(policy?.revision, `${image}:1.0.0`, "the policy keeps its tag");
        assert.equal(policy?.ready, "True");
        // The automation runs meanwhile and has nothing to write.
        const automation = await reconcileRun(
          agent,
          "ImageUpdateAutomation",
          "fleet",
          `automation run during ${fault.what}`,
          () => true,
        );
        assert.equal(automation.message, "repository up-to-date");
        assert.equal(await commits(), initialCommits, `no commit during ${fault.what}`);
        await fault.disarm();
      }

      await reconcile(agent, "ImageRepository", "app");
      await eventually("1.1.0 rolled out", () => deployed() === `${image}:1.1.0`, 20_000, w.logs);
      assert.equal(await commits(), initialCommits + 1, "exactly one commit");
      assert.equal(
        await git(w.repo.bare, "log", "-1", "--format=%s", "main"),
        "chore: update images",
      );
      await reconcileRun(agent, "ImageUpdateAutomation", "fleet", "again", () => true);
      assert.equal(await commits(), initialCommits + 1, "still exactly one commit");

      leaks.scan("status, logs and Events", ...await observable(agent, w.api), ...messages);
      assert.equal(leaks.found, 0, `leaked in ${leaks.places.join(", ")}`);
      await recordScenario("agent-registry-faults", {
        faultsInjected: 2 + proxy.faults,
        secretsLeaked: leaks.found,
        note: "4 faults, 0 commits during them, 1 after",
      });
    } finally {
      await world?.stop();
      await relay.stop();
      await proxy.stop();
      await registry.stop();
    }
  },
);
