// The emulator's own certificate authority and serving certificate for 127.0.0.1/localhost.
// Made once (tests/support/tls_certs.ts: openssl, EC P-256, fast) and cached under
// .cache/apiserver-tls/ so start-up stays cheap; a new one is made atomically if the cache is
// missing or partial.

import {
  CertificateError,
  makeCertificateAuthority,
  signCertificate,
  subjectOf,
} from "../support/tls_certs.ts";

const root = new URL("../../", import.meta.url).pathname;
const cacheDir = `${root}.cache/apiserver-tls`;

export interface ServingCerts {
  caFile: string;
  caPem: string;
  cert: string;
  key: string;
}

async function readCached(): Promise<ServingCerts | undefined> {
  try {
    const [caPem, cert, key] = await Promise.all([
      Deno.readTextFile(`${cacheDir}/ca.crt`),
      Deno.readTextFile(`${cacheDir}/server.crt`),
      Deno.readTextFile(`${cacheDir}/server.key`),
    ]);
    return { caFile: `${cacheDir}/ca.crt`, caPem, cert, key };
  } catch {
    return undefined;
  }
}

async function generate(): Promise<void> {
  await Deno.mkdir(`${root}.cache`, { recursive: true });
  const work = await Deno.makeTempDir({ dir: `${root}.cache`, prefix: "apiserver-tls-" });
  const ca = await makeCertificateAuthority(work, "skiff-emulator-ca");
  await signCertificate(work, ca, {
    name: "server",
    subject: subjectOf("kube-apiserver"),
    extensions: [
      "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc",
      "extendedKeyUsage=serverAuth",
      "keyUsage=critical,digitalSignature,keyEncipherment",
    ],
  });
  try {
    await Deno.rename(work, cacheDir);
  } catch {
    // Another process won the race; its certificates are as good as ours.
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}

/** The cached CA and serving certificate, made on first use. */
export async function servingCerts(): Promise<ServingCerts> {
  const cached = await readCached();
  if (cached) return cached;
  await generate();
  const made = await readCached();
  if (!made) throw new CertificateError(`no certificates in ${cacheDir} after generating them`);
  return made;
}

export interface ClientCertificate {
  certPem: string;
  keyPem: string;
}

/** A client certificate signed by the emulator's CA: CN = user, one O per group. */
export async function clientCertificate(
  user: string,
  groups: string[],
): Promise<ClientCertificate> {
  await servingCerts();
  const work = await Deno.makeTempDir({ prefix: "emulator-client-cert-" });
  try {
    const ca = { certFile: `${cacheDir}/ca.crt`, keyFile: `${cacheDir}/ca.key` };
    await signCertificate(work, ca, {
      name: "client",
      subject: subjectOf(user, groups),
      extensions: ["extendedKeyUsage=clientAuth"],
      days: 365,
    });
    return {
      certPem: await Deno.readTextFile(`${work}/client.crt`),
      keyPem: await Deno.readTextFile(`${work}/client.key`),
    };
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}
