// The registry client against the real thing: Debian's docker-registry (distribution 2.8) on
// loopback, anonymous, behind htpasswd basic auth, and behind token auth.
import assert from "node:assert/strict";
import { RegistryClient, RegistryError } from "../../../lib/registry/mod.ts";
import { selectLatest } from "../../../lib/images/mod.ts";
import { pushHelmChart, pushImage, startRegistry } from "../../support/registry.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

Deno.test(
  "anonymous registry: tags pushed through the API are listed, digests match",
  opts,
  async () => {
    const registry = await startRegistry();
    const client = new RegistryClient({ insecure: true });
    try {
      const first = await pushImage(registry, "team/app", ["1.0.0", "1.1.0", "latest"], {
        label: "one",
      });
      await pushImage(registry, "team/app", ["1.2.0-rc.1", "2.0.0", "v1.3.0"], { label: "two" });
      const list = await client.listTags(`${registry.host}/team/app`);
      assert.deepEqual(list.tags.sort(), [
        "1.0.0",
        "1.1.0",
        "1.2.0-rc.1",
        "2.0.0",
        "latest",
        "v1.3.0",
      ]);
      assert.equal(list.canonicalName, `${registry.host}/team/app`);
      assert.equal(selectLatest({ policy: { semver: { range: "^1.0" } } }, list.tags), "v1.3.0");
      assert.equal(await client.manifestDigest(`${registry.host}/team/app:1.0.0`), first.digest);
      await assert.rejects(
        client.listTags(`${registry.host}/team/nothing-here`),
        (e: RegistryError) => e.reason === "NotFound" && /NAME_UNKNOWN/.test(e.message),
      );
    } finally {
      client.close();
      await registry.stop();
    }
  },
);

Deno.test("htpasswd registry: basic auth with the right credentials only", opts, async () => {
  const registry = await startRegistry({ auth: "htpasswd" });
  try {
    const credentials = { username: "alice", password: "wonderland" };
    await pushImage(registry, "private/app", ["0.1.0", "0.2.0"], { credentials });
    const client = new RegistryClient({ insecure: true });
    assert.deepEqual(
      (await client.listTags(`${registry.host}/private/app`, credentials)).tags.sort(),
      [
        "0.1.0",
        "0.2.0",
      ],
    );
    await assert.rejects(
      new RegistryClient({ insecure: true }).listTags(`${registry.host}/private/app`),
      (e: RegistryError) => e.reason === "Unauthorized",
    );
    await assert.rejects(
      new RegistryClient({ insecure: true }).listTags(`${registry.host}/private/app`, {
        username: "alice",
        password: "wrong",
      }),
      (e: RegistryError) => e.reason === "Unauthorized" && /check the credentials/.test(e.message),
    );
  } finally {
    await registry.stop();
  }
});

Deno.test(
  "token registry: bearer tokens (RS256, x5c) from the realm, one per repository",
  opts,
  async () => {
    const registry = await startRegistry({ auth: "token" });
    try {
      const credentials = { username: "alice", password: "wonderland" };
      await pushImage(registry, "org/service", ["3.0.0", "3.1.0", "3.1.1"], { credentials });
      const before = registry.tokensIssued();
      const client = new RegistryClient({ insecure: true });
      const list = await client.listTags(`${registry.host}/org/service`, credentials);
      assert.deepEqual(list.tags.sort(), ["3.0.0", "3.1.0", "3.1.1"]);
      await client.listTags(`${registry.host}/org/service`, credentials);
      assert.equal(
        registry.tokensIssued() - before,
        1,
        "the token is reused for the same repository",
      );
      // Anonymous users get a token without access: the registry still says 401.
      await assert.rejects(
        new RegistryClient({ insecure: true }).listTags(`${registry.host}/org/service`),
        (e: RegistryError) => e.reason === "Unauthorized",
      );
    } finally {
      await registry.stop();
    }
  },
);

Deno.test(
  "TLS registry: trusted through a CA certificate (spec.certSecretRef), refused without",
  opts,
  async () => {
    const registry = await startRegistry({ tls: true });
    try {
      await pushImage(registry, "secure/app", ["1.0.0"]);
      const client = new RegistryClient({ caCerts: [registry.caCert!] });
      try {
        assert.deepEqual((await client.listTags(`${registry.host}/secure/app`)).tags, ["1.0.0"]);
      } finally {
        client.close();
      }
      await assert.rejects(
        new RegistryClient().listTags(`${registry.host}/secure/app`),
        (e: RegistryError) => e.reason === "Network" && /cannot reach/.test(e.message),
      );
    } finally {
      await registry.stop();
    }
  },
);

Deno.test(
  "mutual TLS registry: the client certificate from spec.certSecretRef is presented",
  opts,
  async () => {
    const registry = await startRegistry({ tls: "mutual" });
    try {
      await pushImage(registry, "mtls/app", ["2.0.0"]);
      const client = new RegistryClient({
        caCerts: [registry.caCert!],
        clientCert: registry.clientCert,
      });
      try {
        assert.deepEqual((await client.listTags(`${registry.host}/mtls/app`)).tags, ["2.0.0"]);
      } finally {
        client.close();
      }
      const anonymous = new RegistryClient({ caCerts: [registry.caCert!] });
      try {
        await assert.rejects(anonymous.listTags(`${registry.host}/mtls/app`), RegistryError);
      } finally {
        anonymous.close();
      }
    } finally {
      await registry.stop();
    }
  },
);

Deno.test(
  "OCI artifacts: a Helm chart's manifest and blobs are fetched and digest-checked",
  opts,
  async () => {
    const registry = await startRegistry({ auth: "token" });
    const client = new RegistryClient({ insecure: true });
    try {
      const credentials = { username: "alice", password: "wonderland" };
      const tgz = new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5]);
      const pushed = await pushHelmChart(
        registry,
        "charts/podinfo",
        { name: "podinfo", version: "6.5.0+build.1" },
        tgz,
        { credentials },
      );
      const ref = `${registry.host}/charts/podinfo:6.5.0_build.1`;
      const manifest = await client.manifest(ref, credentials);
      assert.equal(manifest.digest, pushed.digest);
      assert.equal(manifest.mediaType, "application/vnd.oci.image.manifest.v1+json");
      const body = manifest.json as {
        config: { digest: string };
        layers: { digest: string; mediaType: string }[];
      };
      assert.equal(body.layers[0].mediaType, "application/vnd.cncf.helm.chart.content.v1.tar+gzip");
      assert.deepEqual(await client.blob(ref, body.layers[0].digest, credentials), tgz);
      const config = JSON.parse(
        new TextDecoder().decode(await client.blob(ref, body.config.digest, credentials)),
      );
      assert.equal(config.name, "podinfo");
      const byDigest = await client.manifest(
        `${registry.host}/charts/podinfo@${pushed.digest}`,
        credentials,
      );
      assert.equal(byDigest.digest, pushed.digest);
      await assert.rejects(
        client.blob(ref, "sha256:" + "0".repeat(64), credentials),
        (e: RegistryError) => e.reason === "NotFound",
      );
    } finally {
      client.close();
      await registry.stop();
    }
  },
);
