import assert from "node:assert/strict";
import { KubeConfigError, loadKubeConfig } from "../../../lib/kube/mod.ts";
import { tempDir } from "../../support/process.ts";
import { rejectsWith } from "../../support/rejects.ts";

function b64(text: string): string {
  return btoa(text);
}

async function write(dir: string, name: string, text: string): Promise<string> {
  const path = `${dir}/${name}`;
  await Deno.writeTextFile(path, text);
  return path;
}

const FIRST = `
apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev
  cluster:
    server: https://dev.example:6443/
    certificate-authority: certs/ca.pem
- name: shared
  cluster: {server: "https://first.example"}
users:
- name: dev-user
  user: {token: first-token}
contexts:
- name: dev
  context: {cluster: dev, user: dev-user, namespace: team-a}
`;

const SECOND = `
apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: shared
  cluster: {server: "https://second.example"}
- name: prod
  cluster:
    server: https://prod.example
    certificate-authority-data: ${b64("PROD CA")}
users:
- name: dev-user
  user: {token: second-token}
- name: prod-user
  user:
    client-certificate-data: ${b64("CERT")}
    client-key-data: ${b64("KEY")}
- name: basic-user
  user: {username: admin, password: secret}
contexts:
- name: prod
  context: {cluster: prod, user: prod-user}
- name: shared
  context: {cluster: shared, user: basic-user}
`;

Deno.test("KUBECONFIG files merge as kubectl merges them: first definition and current-context win", async () => {
  const dir = await tempDir();
  try {
    await Deno.mkdir(`${dir.path}/certs`);
    await Deno.writeTextFile(`${dir.path}/certs/ca.pem`, "DEV CA");
    const a = await write(dir.path, "a.yaml", FIRST);
    const b = await write(dir.path, "b.yaml", SECOND);
    const env = { KUBECONFIG: `${a}:${dir.path}/missing.yaml:${b}` };

    const dev = await loadKubeConfig({ env });
    assert.equal(dev.server, "https://dev.example:6443");
    assert.equal(dev.namespace, "team-a");
    assert.equal(dev.tls.caPem, "DEV CA", "relative CA path resolved against the file's directory");
    assert.deepEqual(await dev.credentials.get(), {
      authorization: "Bearer first-token",
      certPem: undefined,
      keyPem: undefined,
    });

    const prod = await loadKubeConfig({ env, context: "prod" });
    assert.equal(prod.namespace, "default");
    assert.equal(prod.tls.caPem, "PROD CA");
    assert.deepEqual(await prod.credentials.get(), { certPem: "CERT", keyPem: "KEY" });

    const shared = await loadKubeConfig({ env, context: "shared", namespace: "override" });
    assert.equal(shared.server, "https://first.example", "the first file's cluster 'shared' wins");
    assert.equal(shared.namespace, "override");
    assert.equal((await shared.credentials.get()).authorization, `Basic ${btoa("admin:secret")}`);
  } finally {
    await dir.remove();
  }
});

Deno.test("an explicit --kubeconfig is read alone and must exist", async () => {
  const dir = await tempDir();
  try {
    const b = await write(dir.path, "b.yaml", SECOND);
    const config = await loadKubeConfig({ kubeconfig: b, env: { KUBECONFIG: "/nonexistent" } });
    assert.equal(config.server, "https://prod.example");
    await rejectsWith(
      loadKubeConfig({ kubeconfig: `${dir.path}/nope.yaml`, env: {} }),
      KubeConfigError,
      /does not exist/,
    );
  } finally {
    await dir.remove();
  }
});

Deno.test("kubeconfig errors name the file, the field and what is defined", async () => {
  const dir = await tempDir();
  try {
    const a = await write(dir.path, "a.yaml", FIRST);
    await assert.rejects(
      loadKubeConfig({ kubeconfig: a, context: "staging", env: {} }),
      (e: unknown) => {
        assert.ok(e instanceof KubeConfigError);
        assert.match(
          e.message,
          /a\.yaml: contexts: context 'staging' is not defined \(defined: dev\)/,
        );
        return true;
      },
    );
    const bad = await write(dir.path, "bad.yaml", "clusters: {name: x}\n");
    await assert.rejects(
      loadKubeConfig({ kubeconfig: bad, env: {} }),
      /bad\.yaml: clusters: expected a list/,
    );
    const twoMethods = await write(
      dir.path,
      "two.yaml",
      `current-context: c
clusters: [{name: c, cluster: {server: "https://x"}}]
users: [{name: u, user: {token: t, username: a}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
`,
    );
    await assert.rejects(loadKubeConfig({ kubeconfig: twoMethods, env: {} }), /set only one of/);
  } finally {
    await dir.remove();
  }
});

Deno.test("tokenFile is re-read when the file changes", async () => {
  const dir = await tempDir();
  try {
    const token = await write(dir.path, "token", "one\n");
    const cfg = await write(
      dir.path,
      "config",
      `current-context: c
clusters: [{name: c, cluster: {server: "https://x", tls-server-name: api.internal, proxy-url: "http://proxy:3128"}}]
users: [{name: u, user: {tokenFile: token, as: jane, as-groups: [devs]}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
`,
    );
    const config = await loadKubeConfig({ kubeconfig: cfg, env: {} });
    assert.equal(config.tls.serverName, "api.internal");
    assert.equal(config.proxyUrl, "http://proxy:3128");
    assert.deepEqual(config.impersonate, { user: "jane", groups: ["devs"], uid: undefined });
    assert.equal((await config.credentials.get()).authorization, "Bearer one");
    await Deno.writeTextFile(token, "two\n");
    // A different mtime is needed to notice; set it explicitly rather than sleeping.
    await Deno.utime(token, new Date(), new Date(Date.now() + 5_000));
    assert.equal((await config.credentials.get()).authorization, "Bearer two");
  } finally {
    await dir.remove();
  }
});

Deno.test("in-cluster config reads the service account and rotates its token", async () => {
  const dir = await tempDir();
  try {
    await write(dir.path, "token", "sa-token-1");
    await write(dir.path, "ca.crt", "CLUSTER CA");
    await write(dir.path, "namespace", "skiff-system\n");
    const env = { KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBERNETES_SERVICE_PORT: "443" };
    const config = await loadKubeConfig({
      env,
      inClusterOptions: { serviceAccountDir: dir.path, tokenMaxAgeMs: 0 },
    });
    assert.equal(config.server, "https://10.0.0.1:443");
    assert.equal(config.namespace, "skiff-system");
    assert.equal(config.tls.caPem, "CLUSTER CA");
    assert.equal((await config.credentials.get()).authorization, "Bearer sa-token-1");
    await write(dir.path, "token", "sa-token-2");
    assert.equal((await config.credentials.get()).authorization, "Bearer sa-token-2");

    const v6 = await loadKubeConfig({
      env: { KUBERNETES_SERVICE_HOST: "fd00::1", KUBERNETES_SERVICE_PORT: "443" },
      inClusterOptions: { serviceAccountDir: dir.path },
    });
    assert.equal(v6.server, "https://[fd00::1]:443");
  } finally {
    await dir.remove();
  }
});

Deno.test("no configuration at all is a clear error", async () => {
  await assert.rejects(
    loadKubeConfig({ env: { HOME: "/nonexistent-home" } }),
    /no cluster configured/,
  );
});
