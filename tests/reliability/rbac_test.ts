// Least privilege: a Kustomization applying as its serviceAccountName can only do what that
// account may do (the emulator enforces RBAC on impersonated requests), and cross-namespace
// sourceRefs are refused when the Agent sets noCrossNamespaceRefs, as Flux's flag does.
import assert from "node:assert/strict";
import { ApplyError, type KubeObject } from "../../lib/kube/mod.ts";
import { ConfigError, loadConfigText } from "../../agent/config/mod.ts";
import { recordScenario } from "./record.ts";
import { withEmulator } from "./fleet.ts";

const e2e = { sanitizeResources: false, sanitizeOps: false };

const cm = (name: string, namespace: string): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace },
  data: { k: "v" },
});

/** team-a's deployer may manage ConfigMaps in team-a and nothing else. */
function teamA(): KubeObject[] {
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } },
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "team-b" } },
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "deployer", namespace: "team-a" },
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "configmaps", namespace: "team-a" },
      rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["*"] }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "deployer", namespace: "team-a" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "configmaps" },
      subjects: [{ kind: "ServiceAccount", name: "deployer", namespace: "team-a" }],
    },
  ];
}

const AS_DEPLOYER = { serviceAccount: { name: "deployer", namespace: "team-a" } };

Deno.test({
  name: "a service account cannot create objects outside what its RBAC allows",
  ...e2e,
  fn: () =>
    withEmulator({ seed: 21 }, {}, async (server, engine) => {
      await engine.applySet(teamA(), undefined, {});
      // Allowed: ConfigMaps in its own namespace.
      const allowed = await engine.applySet([cm("ok", "team-a")], undefined, AS_DEPLOYER);
      assert.equal(allowed.inventory.size, 1);
      assert.ok(server.store.get("v1", "ConfigMap", "ok", "team-a"));
      // Refused: another namespace, a cluster-scoped object, another kind.
      const attempts: KubeObject[][] = [
        [cm("escape", "team-b")],
        [{
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "ClusterRoleBinding",
          metadata: { name: "take-over" },
          roleRef: {
            apiGroup: "rbac.authorization.k8s.io",
            kind: "ClusterRole",
            name: "cluster-admin",
          },
          subjects: [{ kind: "ServiceAccount", name: "deployer", namespace: "team-a" }],
        }],
        [{ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "team-a" } }],
      ];
      for (const objects of attempts) {
        await assert.rejects(
          () => engine.applySet(objects, undefined, AS_DEPLOYER),
          (e: unknown) => {
            assert.ok(e instanceof ApplyError || (e as Error).name === "KubeApiError", String(e));
            assert.match((e as Error).message, /forbidden|Forbidden/);
            assert.match((e as Error).message, /system:serviceaccount:team-a:deployer/);
            return true;
          },
        );
      }
      assert.equal(server.store.get("v1", "ConfigMap", "escape", "team-b"), undefined);
      assert.equal(
        server.store.get("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "take-over"),
        undefined,
      );
      assert.equal(server.store.get("v1", "Secret", "s", "team-a"), undefined);
      await recordScenario("rbac-service-account", {
        faultsInjected: attempts.length,
        note: "3 escalations refused",
      });
    }),
});

Deno.test("cross-namespace sourceRefs are refused with noCrossNamespaceRefs", async () => {
  const config = (noCross: boolean) => `
apiVersion: skiff.dev/v1alpha1
kind: Agent
spec:
  noCrossNamespaceRefs: ${noCross}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: shared
  namespace: platform
spec:
  url: https://example.com/shared.git
  interval: 1m
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: tenant
  namespace: team-a
spec:
  interval: 5m
  path: ./tenant
  prune: true
  sourceRef:
    kind: GitRepository
    name: shared
    namespace: platform
`;
  loadConfigText(config(false), "skiff.yaml");
  assert.throws(
    () => loadConfigText(config(true), "skiff.yaml"),
    (e: unknown) =>
      e instanceof ConfigError &&
      /cross-namespace reference to GitRepository "platform\/shared" is not allowed/.test(
        e.message,
      ),
  );
  await recordScenario("rbac-cross-namespace", { faultsInjected: 1 });
});
