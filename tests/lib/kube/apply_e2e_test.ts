// The apply engine against the API emulator, as a Kustomization reconcile uses it.
import assert from "node:assert/strict";
import {
  ApplyEngine,
  ApplyError,
  type ApplySetOptions,
  type ChangeSet,
  ImmutableFieldError,
  type KubeObject,
  PruneRefusedError,
  waitForReady,
} from "../../../lib/kube/mod.ts";
import { withCluster } from "./emulator_client.ts";
import { rejectsWith } from "../../support/rejects.ts";

const e2e = { sanitizeResources: false, sanitizeOps: false };

const OWNER: ApplySetOptions = {
  ownerLabels: {
    "kustomize.toolkit.fluxcd.io/name": "apps",
    "kustomize.toolkit.fluxcd.io/namespace": "flux-system",
  },
  targetNamespace: "apps",
  prune: true,
};

const ns = (name: string): KubeObject => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name },
});
const cm = (
  name: string,
  data: Record<string, string>,
  annotations?: Record<string, string>,
): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, ...(annotations ? { annotations } : {}) },
  data,
});
const deploy = (name: string, image: string, selectorLabel = name): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: selectorLabel } },
    template: {
      metadata: { labels: { app: selectorLabel } },
      spec: { containers: [{ name: "app", image }] },
    },
  },
});
const svc = (name: string): KubeObject => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name },
  spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] },
});

/** kubectl from PATH, else the one tests/setup/20-kubectl.sh unpacks. */
async function kubectlPath(): Promise<string> {
  try {
    await new Deno.Command("kubectl", {
      args: ["version", "--client"],
      stdout: "null",
      stderr: "null",
    }).output();
    return "kubectl";
  } catch {
    return new URL("../../../.cache/kubectl-1.20/usr/bin/kubectl", import.meta.url).pathname;
  }
}

function dataOf(obj: KubeObject): Record<string, string> {
  return (obj.data ?? {}) as Record<string, string>;
}

function actions(set: ChangeSet): string[] {
  return set.changes.map((c) => `${c.id.kind}/${c.id.name}:${c.action}`);
}

Deno.test({
  name:
    "first apply creates, a re-apply changes nothing, an edit configures only the edited object",
  ...e2e,
  fn: withCluster(async ({ client, server }) => {
    const engine = new ApplyEngine(client);
    const set = [
      ns("apps"),
      cm("settings", { color: "blue" }),
      deploy("web", "nginx:1.25"),
      svc("web"),
    ];
    const first = await engine.applySet(set, undefined, OWNER);
    assert.deepEqual(actions(first), [
      "Namespace/apps:created",
      "ConfigMap/settings:created",
      "Service/web:created",
      "Deployment/web:created",
    ]);
    const live = await client.get("v1", "ConfigMap", "settings", "apps");
    assert.equal(live.metadata.labels?.["kustomize.toolkit.fluxcd.io/name"], "apps");
    assert.ok(
      live.metadata.managedFields?.some((m) => m.manager === "skiff" && m.operation === "Apply"),
    );
    assert.equal(first.inventory.size, 4);

    // A fresh engine (no cache) must find everything unchanged by dry-run alone.
    const writesBefore = server.stats.writes;
    const again = await new ApplyEngine(client).applySet(set, first.inventory, OWNER);
    assert.ok(again.changes.every((c) => c.action === "unchanged"), actions(again).join(" "));
    assert.equal(again.changed, false);
    assert.equal(server.stats.writes, writesBefore, "a no-op apply writes nothing");

    // The same engine remembers the verdicts and skips even the dry-runs.
    await engine.applySet(set, first.inventory, OWNER);
    const requestsBefore = server.stats.requests;
    const cached = await engine.applySet(set, first.inventory, OWNER);
    assert.ok(cached.changes.every((c) => c.action === "unchanged"));
    assert.ok(
      server.stats.requests - requestsBefore <= 5,
      `${server.stats.requests - requestsBefore} requests`,
    );

    const edited = [
      ns("apps"),
      cm("settings", { color: "red" }),
      deploy("web", "nginx:1.25"),
      svc("web"),
    ];
    const third = await engine.applySet(edited, again.inventory, { ...OWNER, diff: true });
    assert.deepEqual(
      third.changes.filter((c) => c.action !== "unchanged").map((c) => `${c.id.name}:${c.action}`),
      ["settings:configured"],
    );
    const diff = third.changes.find((c) => c.id.name === "settings")!.diff!;
    assert.match(diff, /- {2}color: blue\n\+ {2}color: red/);
    // What a user sees with kubectl agrees.
    const cacheDir = await Deno.makeTempDir({ prefix: "skiff-kubectl-cache-" });
    const kubectl = await new Deno.Command(await kubectlPath(), {
      args: [
        "get",
        "configmap",
        "settings",
        "-n",
        "apps",
        "-o",
        "jsonpath={.data.color} {.metadata.labels.kustomize\\.toolkit\\.fluxcd\\.io/name}",
      ],
      env: { KUBECONFIG: server.kubeconfigPath, KUBECACHEDIR: cacheDir },
      stdout: "piped",
      stderr: "piped",
    }).output();
    await Deno.remove(cacheDir, { recursive: true });
    assert.ok(kubectl.success, new TextDecoder().decode(kubectl.stderr));
    assert.equal(
      new TextDecoder().decode(kubectl.stdout),
      "red apps",
    );

    // Someone edits the live object: the next apply notices the drift and corrects it.
    await client.patch(
      { apiVersion: "v1", kind: "ConfigMap", name: "settings", namespace: "apps" },
      { data: { color: "green" } },
      "merge",
      { fieldManager: "intruder" },
    );
    const corrected = await engine.applySet(edited, third.inventory, OWNER);
    assert.equal(corrected.changes.find((c) => c.id.name === "settings")?.action, "configured");
    assert.equal(dataOf(await client.get("v1", "ConfigMap", "settings", "apps")).color, "red");
  }),
});

Deno.test({
  name: "a CRD and its custom resources apply in one reconcile",
  ...e2e,
  fn: withCluster(async ({ client }) => {
    const crd: KubeObject = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "widgets.example.com" },
      spec: {
        group: "example.com",
        scope: "Namespaced",
        names: { plural: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList" },
        versions: [{
          name: "v1",
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: "object",
              properties: { spec: { type: "object", properties: { size: { type: "integer" } } } },
            },
          },
        }],
      },
    };
    const widget: KubeObject = {
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w1" },
      spec: { size: 3 },
    };
    const engine = new ApplyEngine(client);
    // skiff diff first: nothing exists, nothing is written, the custom resource is reported.
    const set = [widget, crd, ns("apps"), cm("settings", { a: "1" })];
    const preview = await engine.applySet(set, undefined, { ...OWNER, dryRun: true });
    assert.deepEqual(actions(preview), [
      "CustomResourceDefinition/widgets.example.com:created",
      "Namespace/apps:created",
      "ConfigMap/settings:created",
      "Widget/w1:created",
    ]);
    assert.match(preview.changes[2].reason, /its namespace is created by this apply/);
    assert.match(preview.changes[3].reason, /its CRD is created by this apply/);
    assert.equal(
      await client.getIfExists(
        "apiextensions.k8s.io/v1",
        "CustomResourceDefinition",
        "widgets.example.com",
      ),
      undefined,
    );

    const result = await engine.applySet(set, undefined, OWNER);
    assert.deepEqual(
      actions(result),
      preview.changes.map((c) => `${c.id.kind}/${c.id.name}:created`),
    );
    const live = await client.get("example.com/v1", "Widget", "w1", "apps");
    assert.deepEqual(live.spec, { size: 3 });
  }),
});

Deno.test({
  name: "objects are normalised: target namespace, scope errors, unknown kinds",
  ...e2e,
  fn: withCluster(async ({ client }) => {
    const engine = new ApplyEngine(client);
    await engine.applySet([ns("apps")], undefined, {});
    const result = await engine.applySet([cm("a", { x: "1" })], undefined, {
      targetNamespace: "apps",
    });
    assert.equal(result.changes[0].id.namespace, "apps");

    await assert.rejects(engine.applySet([cm("b", { x: "1" })], undefined, {}), (e: unknown) => {
      assert.ok(e instanceof ApplyError);
      assert.match(
        e.message,
        /ConfigMap\/b: metadata\.namespace: ConfigMap is namespaced, but no namespace is set/,
      );
      return true;
    });
    const clusterScoped: KubeObject = { ...ns("x"), metadata: { name: "x", namespace: "apps" } };
    await assert.rejects(
      engine.applySet([clusterScoped], undefined, {}),
      /Namespace is cluster-scoped and cannot have a namespace \('apps'\)/,
    );
    const foo: KubeObject = {
      apiVersion: "example.com/v1",
      kind: "Foo",
      metadata: { name: "f", namespace: "apps" },
    };
    await assert.rejects(
      engine.applySet([foo], undefined, {}),
      /no kind 'Foo' in group 'example.com' — is the CRD installed\?/,
    );
    assert.equal(
      await client.getIfExists("v1", "Namespace", "x"),
      undefined,
      "nothing of a refused set is applied",
    );
  }),
});

Deno.test({
  name: "a validation error stops the stage before anything in it is written",
  ...e2e,
  fn: withCluster(async ({ client }) => {
    const engine = new ApplyEngine(client);
    const bad: KubeObject = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "Bad_Name" },
      spec: { ports: [{ port: 80 }] },
    };
    await assert.rejects(
      engine.applySet([ns("apps"), cm("good", { a: "1" }), bad], undefined, OWNER),
      (e: unknown) => {
        assert.ok(e instanceof ApplyError);
        assert.equal(e.failures.length, 1);
        assert.match(e.message, /Service\/apps\/Bad_Name: /);
        assert.deepEqual(
          e.changes.map((c) => `${c.id.name}:${c.action}`),
          ["apps:created"],
          "the namespace stage went through",
        );
        return true;
      },
    );
    assert.equal(await client.getIfExists("v1", "ConfigMap", "good", "apps"), undefined);
  }),
});

Deno.test({
  name: "Flux annotations: ssa Ignore, IfNotPresent, Merge, reconcile disabled",
  ...e2e,
  fn: withCluster(async ({ client }) => {
    const engine = new ApplyEngine(client);
    await engine.applySet([ns("apps")], undefined, {});
    const set = [
      cm("ignored", { a: "1" }, { "kustomize.toolkit.fluxcd.io/ssa": "Ignore" }),
      cm("once", { a: "1" }, { "kustomize.toolkit.fluxcd.io/ssa": "IfNotPresent" }),
      cm("merged", { a: "1" }, { "kustomize.toolkit.fluxcd.io/ssa": "Merge" }),
      cm("taken", { a: "1" }),
      cm("paused", { a: "1" }),
    ];
    const first = await engine.applySet(set, undefined, OWNER);
    assert.deepEqual(actions(first), [
      "ConfigMap/ignored:skipped",
      "ConfigMap/merged:created",
      "ConfigMap/once:created",
      "ConfigMap/paused:created",
      "ConfigMap/taken:created",
    ]);
    assert.equal(await client.getIfExists("v1", "ConfigMap", "ignored", "apps"), undefined);
    assert.equal(first.inventory.size, 5, "skipped objects stay in the inventory");

    // kubectl adds a field to two objects; someone disables reconciliation on a third.
    for (const name of ["merged", "taken"]) {
      await client.patch(
        { apiVersion: "v1", kind: "ConfigMap", name, namespace: "apps" },
        { data: { extra: "kubectl" } },
        "merge",
        {
          fieldManager: "kubectl-client-side-apply",
        },
      );
    }
    await client.patch({ apiVersion: "v1", kind: "ConfigMap", name: "paused", namespace: "apps" }, {
      metadata: { annotations: { "kustomize.toolkit.fluxcd.io/reconcile": "disabled" } },
      data: { a: "hand-edited" },
    }, "merge");
    const changedSet = set.map((o) => ({ ...o, data: { a: "2" } }));
    const second = await engine.applySet(changedSet, first.inventory, OWNER);
    assert.deepEqual(actions(second), [
      "ConfigMap/ignored:skipped",
      "ConfigMap/merged:configured",
      "ConfigMap/once:skipped",
      "ConfigMap/paused:skipped",
      "ConfigMap/taken:configured",
    ]);
    const data = async (name: string) => dataOf(await client.get("v1", "ConfigMap", name, "apps"));
    assert.deepEqual(await data("once"), { a: "1" }, "IfNotPresent never updates");
    assert.deepEqual(await data("paused"), { a: "hand-edited" });
    assert.deepEqual(
      await data("merged"),
      { a: "2", extra: "kubectl" },
      "Merge keeps kubectl's field",
    );
  }),
});

Deno.test({
  name:
    "without ssa: Merge, fields kubectl set are taken over and removed when Git does not set them",
  ...e2e,
  fn: withCluster(async ({ client }) => {
    const engine = new ApplyEngine(client);
    const first = await engine.applySet([ns("apps"), cm("taken", { a: "1" })], undefined, OWNER);
    const target = { apiVersion: "v1", kind: "ConfigMap", name: "taken", namespace: "apps" };
    await client.patch(target, { data: { extra: "kubectl" } }, "merge", {
      fieldManager: "kubectl-client-side-apply",
    });
    const second = await engine.applySet(
      [ns("apps"), cm("taken", { a: "2" })],
      first.inventory,
      OWNER,
    );
    assert.equal(second.changes.find((c) => c.id.name === "taken")?.action, "configured");
    assert.deepEqual(dataOf(await client.get("v1", "ConfigMap", "taken", "apps")), { a: "2" });
  }),
});

Deno.test({
  name: "immutable fields: a clear error without force, a recreate with it",
  ...e2e,
  fn: withCluster(async ({ client }) => {
    const engine = new ApplyEngine(client);
    const first = await engine.applySet(
      [ns("apps"), deploy("web", "nginx:1", "web")],
      undefined,
      OWNER,
    );
    const uid = (await client.get("apps/v1", "Deployment", "web", "apps")).metadata.uid;
    const changed = [ns("apps"), deploy("web", "nginx:1", "web-v2")];
    await assert.rejects(engine.applySet(changed, first.inventory, OWNER), (e: unknown) => {
      assert.ok(e instanceof ApplyError);
      const failure = e.failures[0].error;
      assert.ok(failure instanceof ImmutableFieldError);
      assert.deepEqual(failure.fields, ["spec.selector"]);
      assert.match(
        e.message,
        /Deployment\.apps\/apps\/web: spec\.selector is immutable; to recreate the object, set spec\.force: true/,
      );
      return true;
    });
    const forced = await engine.applySet(changed, first.inventory, { ...OWNER, force: true });
    const change = forced.changes.find((c) => c.id.name === "web")!;
    assert.equal(change.action, "created");
    assert.match(change.reason, /recreated: spec\.selector/);
    const live = await client.get("apps/v1", "Deployment", "web", "apps");
    assert.notEqual(live.metadata.uid, uid);
    assert.deepEqual((live.spec as { selector: unknown }).selector, {
      matchLabels: { app: "web-v2" },
    });

    // The per-object annotation allows it too.
    const annotated = deploy("web", "nginx:1", "web-v3");
    annotated.metadata.annotations = { "kustomize.toolkit.fluxcd.io/force": "enabled" };
    const viaAnnotation = await engine.applySet([ns("apps"), annotated], forced.inventory, OWNER);
    assert.equal(viaAnnotation.changes.find((c) => c.id.name === "web")?.action, "created");
  }),
});

Deno.test({
  name: "prune deletes only what left the set, skipping opted-out, foreign and terminating objects",
  ...e2e,
  fn: withCluster(async ({ client }) => {
    const engine = new ApplyEngine(client);
    const keep = cm("keep", { a: "1" });
    const set = [
      ns("apps"),
      ns("old-ns"),
      keep,
      cm("gone", { a: "1" }),
      cm("protected", { a: "1" }, { "kustomize.toolkit.fluxcd.io/prune": "disabled" }),
      // Flux reads its markers from labels as well.
      {
        ...cm("protected-by-label", { a: "1" }),
        metadata: {
          name: "protected-by-label",
          labels: { "kustomize.toolkit.fluxcd.io/prune": "disabled" },
        },
      },
      cm("adopted", { a: "1" }),
      cm("paused", { a: "1" }),
      { ...cm("in-old-ns", { a: "1" }), metadata: { name: "in-old-ns", namespace: "old-ns" } },
    ];
    const first = await engine.applySet(set, undefined, OWNER);
    // Not in any inventory: must survive every prune.
    await client.create({
      ...cm("bystander", { a: "1" }),
      metadata: { name: "bystander", namespace: "apps", labels: OWNER.ownerLabels },
    });
    await client.patch({ apiVersion: "v1", kind: "ConfigMap", name: "paused", namespace: "apps" }, {
      metadata: { annotations: { "kustomize.toolkit.fluxcd.io/reconcile": "disabled" } },
    }, "merge");
    // Another Kustomization takes "adopted" over.
    await client.patch(
      { apiVersion: "v1", kind: "ConfigMap", name: "adopted", namespace: "apps" },
      {
        metadata: { labels: { "kustomize.toolkit.fluxcd.io/name": "other" } },
      },
      "merge",
    );

    const second = await engine.applySet([ns("apps"), keep], first.inventory, OWNER);
    const pruned = second.changes.filter((c) => c.action === "deleted" || c.action === "skipped");
    assert.deepEqual(pruned.map((c) => `${c.id.kind}/${c.id.name}:${c.action}`), [
      "ConfigMap/adopted:skipped",
      "ConfigMap/gone:deleted",
      "ConfigMap/paused:skipped",
      "ConfigMap/protected:skipped",
      "ConfigMap/protected-by-label:skipped",
      "ConfigMap/in-old-ns:deleted",
      "Namespace/old-ns:deleted",
    ]);
    assert.match(
      pruned.find((c) => c.id.name === "adopted")!.reason,
      /kustomize\.toolkit\.fluxcd\.io\/name=other/,
    );
    assert.ok(await client.getIfExists("v1", "ConfigMap", "bystander", "apps"));
    assert.ok(await client.getIfExists("v1", "ConfigMap", "protected", "apps"));
    assert.equal(await client.getIfExists("v1", "ConfigMap", "gone", "apps"), undefined);
    assert.equal(second.inventory.size, 2);

    // An empty render with a non-empty inventory is refused, and says why.
    await rejectsWith(
      engine.applySet([], second.inventory, OWNER),
      PruneRefusedError,
      /no objects while the inventory holds 2/,
    );
    assert.ok(await client.getIfExists("v1", "ConfigMap", "keep", "apps"));
    const all = await engine.applySet([], second.inventory, { ...OWNER, allowEmptyPrune: true });
    assert.deepEqual(all.changes.map((c) => `${c.id.name}:${c.action}`), [
      "keep:deleted",
      "apps:deleted",
    ]);
  }),
});

Deno.test({
  name: "deletionPolicy decides what happens to the objects when their owner goes",
  ...e2e,
  fn: withCluster(async ({ client }) => {
    const engine = new ApplyEngine(client);
    const applied = await engine.applySet([ns("apps"), cm("a", { x: "1" })], undefined, OWNER);
    assert.deepEqual(await engine.deleteInventory(applied.inventory, "Orphan", OWNER), []);
    assert.deepEqual(
      await engine.deleteInventory(applied.inventory, "MirrorPrune", { ...OWNER, prune: false }),
      [],
    );
    assert.ok(await client.getIfExists("v1", "ConfigMap", "a", "apps"));
    const deleted = await engine.deleteInventory(applied.inventory, "WaitForTermination", {
      ...OWNER,
      timeoutMs: 10_000,
    });
    assert.deepEqual(deleted.map((c) => `${c.id.name}:${c.action}`), ["a:deleted", "apps:deleted"]);
    assert.equal(await client.getIfExists("v1", "ConfigMap", "a", "apps"), undefined);
  }),
});

Deno.test({
  name: "applies as the Kustomization's service account, so its RBAC is enforced",
  ...e2e,
  fn: withCluster(async ({ client }) => {
    const engine = new ApplyEngine(client);
    await engine.applySet(
      [
        ns("team-a"),
        {
          apiVersion: "v1",
          kind: "ServiceAccount",
          metadata: { name: "deployer", namespace: "team-a" },
        },
        {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "Role",
          metadata: { name: "configmaps", namespace: "team-a" },
          // May not list or watch: the engine and the health check must make do with get.
          rules: [{
            apiGroups: [""],
            resources: ["configmaps"],
            verbs: ["get", "create", "patch", "update"],
          }],
        },
        {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "RoleBinding",
          metadata: { name: "deployer", namespace: "team-a" },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "configmaps" },
          subjects: [{ kind: "ServiceAccount", name: "deployer", namespace: "team-a" }],
        },
      ],
      undefined,
      {},
    );
    const tenant: ApplySetOptions = {
      targetNamespace: "team-a",
      serviceAccount: { name: "deployer", namespace: "team-a" },
    };
    const ok = await engine.applySet(
      [cm("allowed", { a: "1" }), cm("also", { a: "1" })],
      undefined,
      tenant,
    );
    assert.deepEqual(ok.changes.map((c) => c.action), ["created", "created"]);
    const again = await engine.applySet(
      [cm("allowed", { a: "1" }), cm("also", { a: "1" })],
      undefined,
      tenant,
    );
    assert.deepEqual(again.changes.map((c) => c.action), ["unchanged", "unchanged"]);
    await assert.rejects(
      engine.clientFor(tenant).list("v1", "ConfigMap", { namespace: "team-a" }),
      /forbidden/,
    );
    const health = await waitForReady(engine.clientFor(tenant), ok.applied, { timeoutMs: 5_000 });
    assert.equal(health.ready, true, health.summary);
    await assert.rejects(engine.applySet([svc("denied")], undefined, tenant), (e: unknown) => {
      assert.ok(e instanceof ApplyError);
      assert.match(
        e.message,
        /forbidden: User 'system:serviceaccount:team-a:deployer' cannot (get|list|patch) services in namespace 'team-a'/,
      );
      return true;
    });
  }),
});

Deno.test({
  name: "waits for a rollout and reports what is not ready, and why",
  ...e2e,
  fn: withCluster(async ({ client }) => {
    const engine = new ApplyEngine(client);
    const result = await engine.applySet(
      [ns("apps"), deploy("web", "nginx:1"), svc("web")],
      undefined,
      OWNER,
    );
    // Rollouts take 1.5 s in this cluster: a 50 ms wait must end with the Deployment in progress.
    const early = await waitForReady(client, result.applied, { timeoutMs: 50 });
    assert.equal(early.ready, false);
    assert.equal(early.timedOut, true);
    assert.match(early.summary, /Deployment\.apps\/apps\/web: InProgress: /);
    const report = await waitForReady(client, result.applied, { timeoutMs: 10_000 });
    assert.equal(report.ready, true, report.summary);

    const broken = deploy("broken", "nginx:1");
    broken.metadata.annotations = { "emulator.skiff.dev/fail": "true" };
    const second = await engine.applySet([broken], undefined, { targetNamespace: "apps" });
    const started = Date.now();
    const failed = await waitForReady(client, second.applied, { timeoutMs: 10_000 });
    assert.ok(Date.now() - started < 5_000, "a failed rollout ends the wait early");
    assert.equal(failed.ready, false);
    assert.equal(failed.timedOut, false);
    assert.match(
      failed.summary,
      /Deployment\.apps\/apps\/broken: Failed: progress deadline exceeded/,
    );
  }, { rolloutDelayMs: 1_500 }),
});

Deno.test({
  name:
    "skiff diff: a dry run reports changes with diffs and what would be pruned, and writes nothing",
  ...e2e,
  fn: withCluster(async ({ client, server }) => {
    const engine = new ApplyEngine(client);
    const secret = (password: string): KubeObject => ({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "db" },
      stringData: { password, user: "admin" },
    });
    const first = await engine.applySet(
      [ns("apps"), cm("settings", { color: "blue" }), cm("old", { a: "1" }), secret("hunter2")],
      undefined,
      OWNER,
    );
    const writes = server.stats.writes;
    const preview = await engine.applySet(
      [ns("apps"), cm("settings", { color: "red" }), cm("new", { a: "1" }), secret("swordfish")],
      first.inventory,
      { ...OWNER, dryRun: true, diff: true },
    );
    assert.equal(server.stats.writes, writes, "a dry run writes nothing");
    assert.deepEqual(preview.changes.map((c) => `${c.id.kind}/${c.id.name}:${c.action}`), [
      "Namespace/apps:unchanged",
      "Secret/db:configured",
      "ConfigMap/new:created",
      "ConfigMap/settings:configured",
      "ConfigMap/old:deleted",
    ]);
    const diffOf = (name: string) => preview.changes.find((c) => c.id.name === name)!.diff ?? "";
    assert.match(diffOf("settings"), /- {2}color: blue\n\+ {2}color: red/);
    assert.match(diffOf("new"), /^--- \/dev\/null\n\+\+\+ desired\/ConfigMap\/apps\/new/);
    const secretDiff = diffOf("db");
    assert.match(
      secretDiff,
      /- {2}password: <masked, old value>\n\+ {2}password: <masked, new value>/,
    );
    for (
      const clear of ["hunter2", "swordfish", btoa("hunter2"), btoa("swordfish"), btoa("admin")]
    ) {
      assert.ok(!secretDiff.includes(clear), `the diff leaks ${clear}`);
    }
    assert.equal(preview.changes.find((c) => c.id.name === "old")?.reason, "would be pruned");
    assert.ok(await client.getIfExists("v1", "ConfigMap", "old", "apps"));
  }),
});

Deno.test({
  name: "prune leaves objects that are already terminating alone",
  ...e2e,
  fn: withCluster(async ({ client }) => {
    const engine = new ApplyEngine(client);
    const held: KubeObject = {
      ...cm("held", { a: "1" }),
      metadata: { name: "held", finalizers: ["example.com/hold"] },
    };
    const first = await engine.applySet([ns("apps"), held], undefined, OWNER);
    const target = { apiVersion: "v1", kind: "ConfigMap", name: "held", namespace: "apps" };
    await client.delete(target);
    assert.ok((await client.get("v1", "ConfigMap", "held", "apps")).metadata.deletionTimestamp);
    const second = await engine.applySet([ns("apps")], first.inventory, OWNER);
    assert.deepEqual(
      second.changes.filter((c) => c.id.name === "held").map((c) => `${c.action}: ${c.reason}`),
      ["skipped: already being deleted"],
    );
    await client.patch(target, { metadata: { finalizers: null } }, "merge");
  }),
});

Deno.test({
  name: "when pruning fails, the error carries an inventory that keeps the failed objects",
  ...e2e,
  fn: withCluster(async ({ client, server }) => {
    const engine = new ApplyEngine(client);
    const first = await engine.applySet(
      [ns("apps"), cm("a", { x: "1" }), cm("b", { x: "1" })],
      undefined,
      OWNER,
    );
    server.faults.failFraction(1, 403, { verb: "delete", resource: "configmaps" });
    const error = await engine.applySet([ns("apps"), cm("a", { x: "2" })], first.inventory, OWNER)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(error instanceof ApplyError);
    assert.deepEqual(error.failures.map((f) => f.id.name), ["b"]);
    assert.match(error.message, /ConfigMap\/apps\/b: /);
    assert.ok(
      error.changes.some((c) => c.id.name === "a" && c.action === "configured"),
      "the apply itself went through",
    );
    assert.deepEqual(error.inventory?.entries().map((e) => e.name).sort(), ["a", "apps", "b"]);

    server.faults.clear();
    const retried = await engine.applySet(
      [ns("apps"), cm("a", { x: "2" })],
      error.inventory,
      OWNER,
    );
    assert.deepEqual(retried.changes.filter((c) => c.action === "deleted").map((c) => c.id.name), [
      "b",
    ]);
    assert.equal(retried.inventory.size, 2);
  }),
});

Deno.test({
  name: "a wait whose signal is already aborted returns at once",
  ...e2e,
  fn: withCluster(async ({ client }) => {
    const engine = new ApplyEngine(client);
    const result = await engine.applySet([ns("apps"), deploy("web", "nginx:1")], undefined, OWNER);
    const aborted = new AbortController();
    aborted.abort();
    const started = Date.now();
    const report = await waitForReady(client, result.applied, {
      timeoutMs: 30_000,
      signal: aborted.signal,
    });
    assert.ok(Date.now() - started < 2_000, "it does not wait for the rollout or the timeout");
    assert.equal(report.ready, false);
    assert.equal(report.timedOut, false);
  }, { rolloutDelayMs: 60_000 }),
});
