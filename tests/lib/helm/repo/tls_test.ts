// A Helm repository over HTTPS with a private CA: trusted when the CA is given, refused otherwise.
import assert from "node:assert/strict";
import { RepoCache, RepoError, resolveChart } from "../../../../lib/helm/repo/mod.ts";
import { chartEntries, tgz } from "../../../support/tar_writer.ts";
import { tempDir } from "../../../support/process.ts";

async function openssl(args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", { args, stdout: "null", stderr: "piped" }).output();
  if (out.code !== 0) throw new Error(`openssl failed: ${new TextDecoder().decode(out.stderr)}`);
}

/** A test CA and a server certificate for 127.0.0.1 signed by it. */
async function certificates(dir: string) {
  await openssl([
    ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", `${dir}/ca-key.pem`],
    ...["-out", `${dir}/ca.pem`, "-days", "2", "-subj", "/CN=skiff-helm-test-ca"],
  ]);
  await openssl([
    ...["req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${dir}/key.pem`, "-out", `${dir}/csr`],
    ...["-subj", "/CN=127.0.0.1"],
  ]);
  await Deno.writeTextFile(
    `${dir}/ext.cnf`,
    "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1\n",
  );
  await openssl([
    ...["x509", "-req", "-in", `${dir}/csr`, "-CA", `${dir}/ca.pem`, "-CAkey", `${dir}/ca-key.pem`],
    ...["-CAcreateserial", "-out", `${dir}/cert.pem`, "-days", "2", "-extfile", `${dir}/ext.cnf`],
  ]);
  const read = (f: string) => Deno.readTextFile(`${dir}/${f}`);
  return { ca: await read("ca.pem"), cert: await read("cert.pem"), key: await read("key.pem") };
}

Deno.test("fetches over HTTPS from a repository signed by a custom CA", {
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const tmp = await tempDir("skiff-helm-tls-");
  const { ca, cert, key } = await certificates(tmp.path);
  const archive = await tgz(chartEntries("secure"));
  const index =
    "apiVersion: v1\nentries:\n  secure:\n  - name: secure\n    version: 1.0.0\n    urls:\n    - secure-1.0.0.tgz\n";
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, cert, key, onListen: () => {} },
    (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/index.yaml") return new Response(index);
      if (path === "/secure-1.0.0.tgz") return new Response(archive as Uint8Array<ArrayBuffer>);
      return new Response("", { status: 404 });
    },
  );
  const url = `https://127.0.0.1:${server.addr.port}`;
  try {
    await assert.rejects(
      () => resolveChart(url, "secure", "", undefined, { cache: new RepoCache() }),
      (e) => e instanceof RepoError && /cannot fetch index.yaml/.test(e.message),
    );
    const got = await resolveChart(url, "secure", "", { caCerts: [ca] }, {
      cache: new RepoCache(),
    });
    assert.equal(got.version, "1.0.0");
    assert.equal(got.archive.length, archive.length);
  } finally {
    await server.shutdown();
    await tmp.remove();
  }
});
