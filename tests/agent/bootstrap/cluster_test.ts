// Installing into the API emulator and removing again: permission checks before any push, the
// credentials Secret, objects owned the way the agent owns them, uninstall with and without
// --prune, and the confirmation.
import assert from "node:assert/strict";
import {
  bootstrap,
  type BootstrapOptions,
  PermissionError,
  uninstall,
} from "../../../agent/bootstrap/mod.ts";
import { uninstallCommand } from "../../../agent/cli/uninstall.ts";
import { InventoryStore } from "../../../agent/inventory/mod.ts";
import { Inventory, KubeClient, loadKubeConfig } from "../../../lib/kube/mod.ts";
import { startApiServer } from "../../apiserver/mod.ts";
import { kubeconfigText } from "../../apiserver/kubeconfig.ts";
import { createRepo, git, startGitServer } from "../../support/git_server.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };
const TOKEN = "token-for-tests-0123";

async function withWorld(
  body: (w: {
    api: Awaited<ReturnType<typeof startApiServer>>;
    client: KubeClient;
    options: BootstrapOptions;
    bare: string;
  }) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "skiff-bootstrap-cluster-" });
  const api = await startApiServer({ rolloutDelayMs: 20 });
  const server = await startGitServer({ root: `${dir}/git`, auth: { bearerToken: TOKEN } });
  const repo = await createRepo(`${dir}/git`, "fleet");
  const client = new KubeClient(await loadKubeConfig({ kubeconfig: api.kubeconfigPath }));
  const options: BootstrapOptions = {
    url: server.url("fleet"),
    branch: "main",
    path: "clusters/prod",
    namespace: "skiff-system",
    interval: "1m",
    credentials: { bearerToken: TOKEN },
    author: { name: "skiff", email: "skiff@example.com" },
    client,
    timeoutMs: 10_000,
    waitForReconcile: false,
  };
  try {
    await body({ api, client, options, bare: repo.bare });
  } finally {
    client.transport.close();
    await server.stop();
    await api.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test(
  "a user without rights is told what is missing before anything is pushed",
  opts,
  async () => {
    await withWorld(async ({ api, options, bare }) => {
      const before = await git(bare, "rev-parse", "main");
      const path = await Deno.makeTempFile({ suffix: ".kubeconfig" });
      await Deno.writeTextFile(path, kubeconfigText(api.url, api.caPem, api.tokenFor("alice")));
      const alice = new KubeClient(await loadKubeConfig({ kubeconfig: path }));
      try {
        await assert.rejects(() => bootstrap({ ...options, client: alice }), (e: unknown) => {
          assert.ok(e instanceof PermissionError);
          assert.ok(e.missing.includes("create clusterroles.rbac.authorization.k8s.io"));
          assert.ok(e.missing.includes("create deployments.apps in namespace skiff-system"));
          assert.match(
            e.message,
            /needs cluster-admin rights; run it with an administrator's kubeconfig/,
          );
          return true;
        });
      } finally {
        alice.transport.close();
        await Deno.remove(path);
      }
      assert.equal(await git(bare, "rev-parse", "main"), before, "nothing was pushed");
      assert.equal(api.store.get("v1", "Namespace", "skiff-system"), undefined);
    });
  },
);

Deno.test(
  "installs skiff owned as the agent will own it, with the token only in the cluster",
  opts,
  async () => {
    await withWorld(async ({ api, options, bare }) => {
      const result = await bootstrap(options);
      assert.ok(result.commit);
      assert.ok(result.clusterChanges.includes("created Deployment.apps/skiff-system/skiff"));
      const store = api.store;
      const secret = store.get("v1", "Secret", "skiff-git-credentials", "skiff-system")!;
      assert.equal(atob((secret.data as Record<string, string>).bearerToken), TOKEN);
      assert.equal(await git(bare, "grep", "-c", TOKEN, "main").catch(() => "none"), "none");
      const deployment = store.get("apps/v1", "Deployment", "skiff", "skiff-system")!;
      const metadata = deployment.metadata as {
        labels: Record<string, string>;
        managedFields: Array<{ manager: string }>;
      };
      assert.equal(metadata.labels["kustomize.toolkit.fluxcd.io/name"], "skiff-system");
      assert.equal(metadata.labels["kustomize.toolkit.fluxcd.io/namespace"], "skiff-system");
      assert.deepEqual(metadata.managedFields.map((m) => m.manager).filter((m) => m === "skiff"), [
        "skiff",
      ]);
      const config = store.get("v1", "ConfigMap", "skiff-config", "skiff-system")!;
      assert.match((config.data as Record<string, string>)["skiff.yaml"], /kind: Agent/);

      // Running it again changes nothing, in Git or in the cluster.
      const again = await bootstrap(options);
      assert.equal(again.commit, undefined);
      assert.deepEqual(again.clusterChanges, []);
    });
  },
);

Deno.test(
  "uninstall --prune, once confirmed, deletes what the agent applied",
  opts,
  async () => {
    await withWorld(async ({ api, client, options }) => {
      await bootstrap(options);
      const owner = {
        "kustomize.toolkit.fluxcd.io/name": "skiff-system",
        "kustomize.toolkit.fluxcd.io/namespace": "skiff-system",
      };
      const workload = {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "web", namespace: "default", labels: owner },
        data: { a: "1" },
      };
      await client.create(workload);
      // What the agent records after applying `<path>`: skiff's own objects and the workload.
      const inventory = Inventory.fromObjects([
        workload,
        {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "skiff", namespace: "skiff-system" },
        },
      ]);
      await new InventoryStore(client, "skiff-system").save("skiff-system", "skiff-system", {
        inventory,
        revision: "main@sha1:0",
        renderedDigest: "",
        appliedAt: new Date().toISOString(),
      });

      // Declining the confirmation deletes nothing.
      const asked: string[] = [];
      const code = await uninstallCommand(
        {
          namespace: "skiff-system",
          prune: true,
          yes: false,
          kubeconfig: api.kubeconfigPath,
          timeout: "10s",
        },
        (question) => {
          asked.push(question);
          return Promise.resolve(false);
        },
      );
      assert.equal(code, 1);
      assert.match(
        asked[0],
        /Delete skiff and every object it applied from namespace skiff-system\?/,
      );
      assert.ok(api.store.get("apps/v1", "Deployment", "skiff", "skiff-system"));

      const result = await uninstall(client, {
        namespace: "skiff-system",
        prune: true,
        timeoutMs: 10_000,
      });
      assert.deepEqual(result.pruned, ["ConfigMap/default/web"]);
      assert.equal(api.store.get("v1", "ConfigMap", "web", "default"), undefined);
      assert.equal(result.namespaceDeleted, true);
      assert.equal(
        api.store.get("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "skiff-reconciler"),
        undefined,
      );

      // Nothing left: a second uninstall deletes nothing and says so.
      const second = await uninstall(client, {
        namespace: "skiff-system",
        prune: true,
        timeoutMs: 10_000,
      });
      assert.deepEqual(second.deleted.filter((d) => !d.startsWith("Namespace/")), []);
    });
  },
);

Deno.test(
  "workloads in skiff's own namespace keep the namespace alive without --prune",
  opts,
  async () => {
    await withWorld(async ({ api, client, options }) => {
      await bootstrap(options);
      const workload = {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "mine", namespace: "skiff-system" },
        data: {},
      };
      await client.create(workload);
      await new InventoryStore(client, "skiff-system").save("skiff-system", "skiff-system", {
        inventory: Inventory.fromObjects([workload]),
        revision: "main@sha1:0",
        renderedDigest: "",
        appliedAt: new Date().toISOString(),
      });
      const result = await uninstall(client, {
        namespace: "skiff-system",
        prune: false,
        timeoutMs: 10_000,
      });
      assert.equal(result.namespaceDeleted, false);
      assert.deepEqual(result.kept, ["ConfigMap/skiff-system/mine"]);
      assert.ok(api.store.get("v1", "ConfigMap", "mine", "skiff-system"));
      assert.equal(api.store.get("apps/v1", "Deployment", "skiff", "skiff-system"), undefined);
    });
  },
);
