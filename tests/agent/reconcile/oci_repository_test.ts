// The OCIRepository reconciler against the real registry (HTTPS with a test CA, htpasswd) and
// the Kubernetes API emulator (for the Secrets): credentials from a dockerconfigjson Secret,
// the CA from certSecretRef, the reasons it reports, and what validation refuses.
import assert from "node:assert/strict";
import { ConfigError, loadConfigText } from "../../../agent/config/mod.ts";
import { reconcileOciRepository } from "../../../agent/reconcile/mod.ts";
import type { Outcome } from "../../../agent/reconcile/mod.ts";
import { ArtifactStore } from "../../../agent/sources/mod.ts";
import { pushOciArtifact } from "../../../lib/oci/mod.ts";
import { startApiServer } from "../../apiserver/mod.ts";
import { startRegistry } from "../../support/registry.ts";
import { tempDir } from "../../support/process.ts";
import { adminClient, seedFluxSystem } from "../../e2e/harness.ts";
import { reconcileEnv } from "./reconcile_env.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

function ociDoc(url: string, extra: string): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 1h
  url: ${url}
  ref: {tag: v1}
${extra}`;
}

Deno.test(
  "pulls over HTTPS with the CA of certSecretRef and dockerconfigjson credentials",
  opts,
  async () => {
    const registry = await startRegistry({ auth: "htpasswd", tls: true });
    const api = await startApiServer();
    const tmp = await tempDir("skiff-oci-reconcile-");
    try {
      await Deno.writeTextFile(`${tmp.path}/a.yaml`, "a: 1\n");
      const url = `oci://${registry.host}/fleet/apps`;
      await pushOciArtifact({
        url: `${url}:v1`,
        path: tmp.path,
        source: "s",
        revision: "r",
        credentials: { username: "alice", password: "wonderland" },
      }, { caCerts: [registry.caCert!] });

      const client = await adminClient(api);
      const auth = btoa("alice:wonderland");
      seedFluxSystem(api, {
        "registry-auth": {
          ".dockerconfigjson": JSON.stringify({ auths: { [registry.host]: { auth } } }),
        },
        "registry-ca": { "ca.crt": registry.caCert! },
      });
      const artifacts = new ArtifactStore();
      const reconcile = async (extra: string): Promise<Outcome> => {
        const config = loadConfigText(ociDoc(url, extra), "skiff.yaml");
        const env = reconcileEnv(config, client, `${tmp.path}/cache`, { artifacts });
        return await reconcileOciRepository(
          config.get("OCIRepository", "flux-system", "apps")!,
          env,
        );
      };

      const ok = await reconcile(
        "  secretRef: {name: registry-auth}\n  certSecretRef: {name: registry-ca}\n",
      );
      assert.equal(ok.ready, "True", ok.message);
      assert.match(ok.revision ?? "", /^v1@sha256:/);
      const artifact = artifacts.get("OCIRepository/flux-system/apps");
      assert.equal(await Deno.readTextFile(`${artifact!.dir}/a.yaml`), "a: 1\n");

      // TLS is verified: without the CA the registry's certificate is not trusted.
      const untrusted = await reconcile("  secretRef: {name: registry-auth}\n");
      assert.equal(untrusted.ready, "False");
      assert.equal(untrusted.reason, "OCIArtifactPullFailed");
      // The last good artifact stays served.
      assert.equal(artifacts.get("OCIRepository/flux-system/apps")?.revision, ok.revision);
      assert.equal(untrusted.revision, ok.revision);

      const anonymous = await reconcile("  certSecretRef: {name: registry-ca}\n");
      assert.equal(anonymous.reason, "AuthenticationFailed", anonymous.message);

      const missing = await reconcile(
        "  secretRef: {name: nope}\n  certSecretRef: {name: registry-ca}\n",
      );
      assert.equal(missing.reason, "AuthenticationFailed");
      assert.match(missing.message, /spec\.secretRef: Secret flux-system\/nope does not exist/);
    } finally {
      await api.stop();
      await registry.stop();
      await tmp.remove();
    }
  },
);

Deno.test("signature verification and cloud providers are refused at validation", () => {
  const verify = ociDoc("oci://ghcr.io/org/apps", "  verify: {provider: cosign}\n");
  assert.throws(
    () => loadConfigText(verify, "skiff.yaml"),
    (e) =>
      e instanceof ConfigError && /spec\.verify/.test(e.message) &&
      /cosign signature verification is not supported by skiff/.test(e.message),
  );
  const aws = ociDoc("oci://ghcr.io/org/apps", "  provider: aws\n");
  assert.throws(
    () => loadConfigText(aws, "skiff.yaml"),
    (e) => e instanceof ConfigError && /spec\.provider/.test(e.message) && /aws/.test(e.message),
  );
});
