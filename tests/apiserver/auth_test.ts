import assert from "node:assert/strict";
import type { EmulatorClient } from "./testing/client.ts";
import { withEmulator } from "./testing/with_emulator.ts";

function withClient(fn: (c: EmulatorClient) => Promise<void>): Promise<void> {
  return withEmulator({}, fn);
}

const RBAC = "/apis/rbac.authorization.k8s.io/v1";

Deno.test("RBAC: Roles and RoleBindings grant in their namespace, ClusterRoleBindings everywhere", async () => {
  await withClient(async (c) => {
    await c.post("/api/v1/namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "team" },
    });
    const jane = c.server.tokenFor("jane", ["devs"]);
    const denied = await c.get("/api/v1/namespaces/team/configmaps", { token: jane });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.reason, "Forbidden");
    assert.equal(
      denied.body.message,
      'configmaps is forbidden: User "jane" cannot list resource "configmaps" in API group "" in the namespace "team"',
    );
    await c.post(`${RBAC}/namespaces/team/roles`, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "cm-reader" },
      rules: [
        { apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] },
        { apiGroups: [""], resources: ["secrets"], resourceNames: ["allowed"], verbs: ["get"] },
      ],
    });
    await c.post(`${RBAC}/namespaces/team/rolebindings`, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "devs-read" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "cm-reader" },
      subjects: [{ kind: "Group", name: "devs", apiGroup: "rbac.authorization.k8s.io" }],
    });
    assert.equal((await c.get("/api/v1/namespaces/team/configmaps", { token: jane })).status, 200);
    assert.equal(
      (await c.get("/api/v1/namespaces/default/configmaps", { token: jane })).status,
      403,
    );
    assert.equal(
      (await c.post("/api/v1/namespaces/team/configmaps", {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "x" },
      }, { token: jane })).status,
      403,
    );
    assert.equal(
      (await c.get("/api/v1/namespaces/team/secrets/allowed", { token: jane })).status,
      404,
      "allowed by name, then not found",
    );
    assert.equal(
      (await c.get("/api/v1/namespaces/team/secrets/other", { token: jane })).status,
      403,
    );
    assert.equal(
      (await c.get("/api/v1/namespaces/team/secrets", { token: jane })).status,
      403,
      "resourceNames never allow list",
    );
    assert.equal(
      (await c.get("/apis", { token: jane })).status,
      200,
      "discovery is open to authenticated users",
    );

    await c.post(`${RBAC}/clusterrolebindings`, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "jane-view" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
      subjects: [{ kind: "User", name: "jane", apiGroup: "rbac.authorization.k8s.io" }],
    });
    await c.eventually(async () =>
      (await c.get("/apis/apps/v1/namespaces/default/deployments", { token: jane })).status === 200
        ? true
        : undefined
    );
    const view = await c.get(`${RBAC}/clusterroles/view`);
    assert.ok(view.body.rules.length > 0, "the aggregated view role collected rules");
  });
});

Deno.test("access reviews answer kubectl auth can-i", async () => {
  await withClient(async (c) => {
    const bob = c.server.tokenFor("bob");
    const review = (verb: string, resource: string, token?: string) =>
      c.post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", {
        apiVersion: "authorization.k8s.io/v1",
        kind: "SelfSubjectAccessReview",
        spec: { resourceAttributes: { verb, resource, namespace: "default" } },
      }, { token });
    assert.equal((await review("create", "pods")).body.status.allowed, true);
    const r = await review("create", "pods", bob);
    assert.equal(r.status, 201);
    assert.equal(r.body.status.allowed, false);
    const sar = await c.post("/apis/authorization.k8s.io/v1/subjectaccessreviews", {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SubjectAccessReview",
      spec: {
        user: "someone",
        groups: ["system:masters"],
        resourceAttributes: { verb: "delete", resource: "nodes" },
      },
    });
    assert.equal(sar.body.status.allowed, true);
  });
});

Deno.test("service account tokens from TokenRequest and token Secrets authenticate as the account", async () => {
  await withClient(async (c) => {
    await c.post("/api/v1/namespaces/default/serviceaccounts", {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "robot" },
    });
    const tr = await c.post("/api/v1/namespaces/default/serviceaccounts/robot/token", {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      spec: { audiences: ["https://kubernetes.default.svc"] },
    });
    assert.equal(tr.status, 201);
    const token = tr.body.status.token;
    const who = await c.post("/apis/authentication.k8s.io/v1/selfsubjectreviews", {
      apiVersion: "authentication.k8s.io/v1",
      kind: "SelfSubjectReview",
    }, { token });
    assert.equal(who.body.status.userInfo.username, "system:serviceaccount:default:robot");
    assert.ok(who.body.status.userInfo.groups.includes("system:serviceaccounts:default"));
    const denied = await c.get("/api/v1/namespaces/default/pods", { token });
    assert.match(denied.body.message, /User "system:serviceaccount:default:robot" cannot list/);
    await c.post("/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "robot-edit" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" },
      subjects: [{ kind: "ServiceAccount", name: "robot" }],
    });
    await c.eventually(async () =>
      (await c.get("/api/v1/namespaces/default/pods", { token })).status === 200 ? true : undefined
    );

    await c.post("/api/v1/namespaces/default/secrets", {
      apiVersion: "v1",
      kind: "Secret",
      type: "kubernetes.io/service-account-token",
      metadata: {
        name: "robot-token",
        annotations: { "kubernetes.io/service-account.name": "robot" },
      },
    });
    const secret = await c.eventually(async () => {
      const s = await c.get("/api/v1/namespaces/default/secrets/robot-token");
      return s.body.data?.token ? s.body : undefined;
    });
    const legacy = atob(secret.data.token);
    assert.equal((await c.get("/api/v1/namespaces/default/pods", { token: legacy })).status, 200);
    await c.delete("/api/v1/namespaces/default/serviceaccounts/robot");
    assert.equal(
      (await c.get("/api/v1/namespaces/default/pods", { token: legacy })).status,
      401,
      "tokens die with their account",
    );
  });
});

Deno.test("impersonation needs the impersonate verb on users, groups and service accounts", async () => {
  await withClient(async (c) => {
    const alice = c.server.tokenFor("alice");
    const asBob = { "impersonate-user": "bob" };
    const refused = await c.get("/api/v1/namespaces/default/configmaps", {
      token: alice,
      headers: asBob,
    });
    assert.equal(refused.status, 403);
    assert.equal(
      refused.body.message,
      'users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
    await c.post(`${RBAC}/clusterroles`, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "impersonator" },
      rules: [{ apiGroups: [""], resources: ["users", "groups"], verbs: ["impersonate"] }],
    });
    await c.post(`${RBAC}/clusterrolebindings`, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "alice-impersonates" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "impersonator" },
      subjects: [{ kind: "User", name: "alice" }],
    });
    const asBobNow = await c.get("/api/v1/namespaces/default/configmaps", {
      token: alice,
      headers: asBob,
    });
    assert.equal(asBobNow.status, 403);
    assert.match(asBobNow.body.message, /User "bob" cannot list/);
    const asAdmins = await c.get("/api/v1/namespaces/default/configmaps", {
      token: alice,
      headers: { "impersonate-user": "bob", "impersonate-group": "system:masters" },
    });
    assert.equal(asAdmins.status, 200);
    const asSa = await c.get("/api/v1/namespaces/default/configmaps", {
      token: alice,
      headers: { "impersonate-user": "system:serviceaccount:default:default" },
    });
    assert.equal(asSa.status, 403);
    assert.match(asSa.body.message, /cannot impersonate resource "serviceaccounts"/);
  });
});

Deno.test("TLS client certificates authenticate: CN is the user, O the groups", async () => {
  await withClient(async (c) => {
    const call = async (cert: { certPem: string; keyPem: string }) => {
      const http = Deno.createHttpClient({
        caCerts: [c.server.caPem],
        cert: cert.certPem,
        key: cert.keyPem,
      });
      try {
        const r = await fetch(`${c.server.url}/api/v1/namespaces/default/configmaps`, {
          client: http,
        });
        return { status: r.status, body: await r.json() };
      } finally {
        http.close();
      }
    };
    const admin = await call(await c.server.clientCertFor("carol", ["system:masters"]));
    assert.equal(admin.status, 200);
    const plain = await call(await c.server.clientCertFor("dave", ["devs"]));
    assert.equal(plain.status, 403);
    assert.match(plain.body.message, /User "dave" cannot list/);
    const spoofed = await c.get("/api/v1/namespaces/default/configmaps", {
      token: "none",
      headers: {
        "x-emulator-client-certificate": JSON.stringify({ user: "x", groups: ["system:masters"] }),
      },
    });
    assert.equal(spoofed.status, 401, "the identity header cannot be sent by clients");
  });
});
