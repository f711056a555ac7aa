// The registry client against the real thing: Debian's docker-registry (distribution 2.8) on
// loopback, anonymous, behind htpasswd basic auth, and behind token auth.
import assert from "node:assert/strict";
import { RegistryClient, RegistryError } from "../../../lib/registry/mod.ts";
import { selectLatest } from "../../../lib/images/mod.ts";
import { pushImage, startRegistry } from "../../support/registry.ts";

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
