// The emulator's own certificate authority and serving certificate for 127.0.0.1/localhost.
// Generated once with the openssl CLI (EC P-256, fast) and cached under .cache/apiserver-tls/
// so start-up stays cheap; a new one is made atomically if the cache is missing or partial.

const root = new URL("../../", import.meta.url).pathname;
const cacheDir = `${root}.cache/apiserver-tls`;

export interface ServingCerts {
  caFile: string;
  caPem: string;
  cert: string;
  key: string;
}

export class CertificateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CertificateError";
  }
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

async function openssl(args: string[], cwd: string): Promise<void> {
  const { code, stderr } = await new Deno.Command("openssl", {
    args,
    cwd,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new CertificateError(
      `openssl ${args[0]} failed while making the emulator's certificates: ${
        new TextDecoder().decode(stderr)
      }`,
    );
  }
}

async function generate(): Promise<void> {
  await Deno.mkdir(`${root}.cache`, { recursive: true });
  const work = await Deno.makeTempDir({ dir: `${root}.cache`, prefix: "apiserver-tls-" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await openssl([
    "req",
    "-x509",
    ...ec,
    "-keyout",
    "ca.key",
    "-out",
    "ca.crt",
    "-days",
    "3650",
    "-subj",
    "/CN=skiff-emulator-ca",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
  ], work);
  await openssl([
    "req",
    ...ec,
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
    "-subj",
    "/CN=kube-apiserver",
  ], work);
  await Deno.writeTextFile(
    `${work}/ext.cnf`,
    "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\n" +
      "extendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n",
  );
  await openssl([
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.crt",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.crt",
    "-days",
    "3650",
    "-extfile",
    "ext.cnf",
  ], work);
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
    const escape = (s: string) => s.replace(/([\/,=+<>#;"])/g, "\\$1");
    const subject = [...groups.map((g) => `/O=${escape(g)}`), `/CN=${escape(user)}`].join("");
    await openssl([
      "req",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      "client.key",
      "-out",
      "client.csr",
      "-subj",
      subject,
    ], work);
    await Deno.writeTextFile(`${work}/ext.cnf`, "extendedKeyUsage=clientAuth\n");
    await openssl([
      "x509",
      "-req",
      "-in",
      "client.csr",
      "-CA",
      `${cacheDir}/ca.crt`,
      "-CAkey",
      `${cacheDir}/ca.key`,
      "-set_serial",
      String(Date.now()),
      "-out",
      "client.crt",
      "-days",
      "365",
      "-extfile",
      "ext.cnf",
    ], work);
    return {
      certPem: await Deno.readTextFile(`${work}/client.crt`),
      keyPem: await Deno.readTextFile(`${work}/client.key`),
    };
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}
