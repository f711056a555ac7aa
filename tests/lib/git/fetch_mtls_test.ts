// spec.secretRef with tls.crt/tls.key: the HTTPS transport presents a client certificate to a
// server that requires one (mutual TLS), in front of the real git http-backend.
import assert from "node:assert/strict";
import { fetchGitArtifact, GitFetchError } from "../../../lib/git/mod.ts";
import { Logger, MASK } from "../../../lib/log/mod.ts";
import { createRepo, startGitServer } from "../../support/git_server.ts";
import { startMtlsProxy } from "../../support/mtls_proxy.ts";
import { tempDir } from "../../support/process.ts";
import { makeCertificateAuthority, signCertificate, subjectOf } from "../../support/tls_certs.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

async function setup() {
  const tmp = await tempDir("skiff-mtls-");
  const root = `${tmp.path}/repos`;
  const certs = `${tmp.path}/certs`;
  await Deno.mkdir(root);
  await Deno.mkdir(certs);
  const ca = await makeCertificateAuthority(certs, "skiff test CA");
  const serving = await signCertificate(certs, ca, {
    name: "server",
    subject: subjectOf("localhost"),
    extensions: ["subjectAltName=DNS:localhost,IP:127.0.0.1", "extendedKeyUsage=serverAuth"],
  });
  const client = await signCertificate(certs, ca, {
    name: "client",
    subject: subjectOf("skiff-agent"),
    extensions: ["extendedKeyUsage=clientAuth"],
  });
  const read = (path: string) => Deno.readTextFile(path);
  const caCert = await read(ca.certFile);
  const server = await startGitServer({ root });
  const front = await startMtlsProxy({
    upstreamPort: server.port,
    cert: await read(serving.certFile),
    key: await read(serving.keyFile),
    clientCa: caCert,
  });
  await createRepo(root, "fleet", { "apps/app.yaml": "kind: ConfigMap\n" });
  return {
    front,
    certs,
    cacheDir: `${tmp.path}/cache`,
    caCert,
    clientCert: await read(client.certFile),
    clientKey: await read(client.keyFile),
    async [Symbol.asyncDispose]() {
      await front.stop();
      await server.stop();
      await tmp.remove();
    },
  };
}

Deno.test(
  "presents tls.crt and tls.key to a server that requires a client certificate",
  opts,
  async () => {
    await using env = await setup();
    const logger = new Logger({ level: "error" });
    const artifact = await fetchGitArtifact(
      {
        url: env.front.url("fleet"),
        ref: { branch: "main" },
        secret: { "ca.crt": env.caCert, "tls.crt": env.clientCert, "tls.key": env.clientKey },
      },
      env.cacheDir,
      { logger },
    );
    assert.equal(await Deno.readTextFile(`${artifact.dir}/apps/app.yaml`), "kind: ConfigMap\n");
    assert.ok(env.front.clients.length >= 2, "ref listing and upload-pack went through");
    assert.ok(env.front.clients.every((cn) => cn === "skiff-agent"));
    // The key is a credential and is masked in logs; the certificate is public and is not.
    assert.equal(logger.secrets.redact(env.clientKey), MASK);
    assert.equal(logger.secrets.redact(env.clientCert), env.clientCert);
  },
);

Deno.test("older Flux secret keys certFile, keyFile and caFile work too", opts, async () => {
  await using env = await setup();
  const artifact = await fetchGitArtifact({
    url: env.front.url("fleet"),
    ref: { branch: "main" },
    secret: { caFile: env.caCert, certFile: env.clientCert, keyFile: env.clientKey },
  }, env.cacheDir);
  assert.equal(artifact.files, 1);
});

Deno.test(
  "without a client certificate the fetch fails as AuthFailed, naming the certificate",
  opts,
  async () => {
    await using env = await setup();
    const error = await fetchGitArtifact(
      { url: env.front.url("fleet"), ref: { branch: "main" }, secret: { "ca.crt": env.caCert } },
      env.cacheDir,
    ).catch((e) => e);
    assert.ok(error instanceof GitFetchError);
    assert.equal(error.reason, "AuthFailed");
    assert.match(error.message, /refused the TLS client certificate \(.*CertificateRequired\)/);
    assert.match(error.message, /tls\.crt and tls\.key/);
  },
);

Deno.test("a certificate without its key is refused before connecting", opts, async () => {
  await using env = await setup();
  const error = await fetchGitArtifact({
    url: env.front.url("fleet"),
    ref: { branch: "main" },
    secret: { "ca.crt": env.caCert, "tls.crt": env.clientCert },
  }, env.cacheDir).catch((e) => e);
  assert.equal(error.reason, "InvalidSpec");
  assert.match(error.message, /has 'tls\.crt' but no 'tls\.key'/);
  assert.deepEqual(env.front.clients, []);
});

Deno.test(
  "a key that does not belong to the certificate is named as a Secret mistake",
  opts,
  async () => {
    await using env = await setup();
    const other = await makeCertificateAuthority(await Deno.makeTempDir({ dir: env.certs }), "x");
    const error = await fetchGitArtifact({
      url: env.front.url("fleet"),
      ref: { branch: "main" },
      secret: {
        "ca.crt": env.caCert,
        "tls.crt": env.clientCert,
        "tls.key": await Deno.readTextFile(other.keyFile),
      },
    }, env.cacheDir).catch((e) => e);
    assert.equal(error.reason, "InvalidSpec");
    assert.match(
      error.message,
      /the client certificate \(tls\.crt, tls\.key\) in the secret of spec\.secretRef cannot be used: .*KeyMismatch/,
    );
  },
);
