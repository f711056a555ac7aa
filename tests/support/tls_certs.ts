// Test certificates made with the openssl CLI: a self-signed CA, and keys with certificates it
// signs (serving certificates with subjectAltNames, client certificates whose subject carries a
// user and groups). Keys are EC P-256, which openssl makes in milliseconds.

export class CertificateError extends Error {
  override readonly name = "CertificateError";
}

/** Where a certificate and its key were written (PEM files). */
export interface CertificateFiles {
  certFile: string;
  keyFile: string;
}

export interface CertificateRequest {
  /** Base name of the files written: <name>.key, <name>.crt (and a <name>.csr on the way). */
  name: string;
  /** The subject in openssl's -subj form; see subjectOf. */
  subject: string;
  /** Lines of the openssl extension file, e.g. "subjectAltName=IP:127.0.0.1". */
  extensions: string[];
  days?: number;
}

const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

async function openssl(args: string[], cwd: string): Promise<void> {
  const { code, stderr } = await new Deno.Command("openssl", {
    args,
    cwd,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new CertificateError(
      `openssl ${args[0]} failed while making test certificates in ${cwd}: ${
        new TextDecoder().decode(stderr)
      }`,
    );
  }
}

/** `/O=group/.../CN=user` with openssl's special characters escaped. */
export function subjectOf(commonName: string, organizations: string[] = []): string {
  const escape = (s: string) => s.replace(/([\/,=+<>#;"])/g, "\\$1");
  return [...organizations.map((o) => `/O=${escape(o)}`), `/CN=${escape(commonName)}`].join("");
}

/** A self-signed CA written in `dir` as ca.crt and ca.key. */
export async function makeCertificateAuthority(
  dir: string,
  commonName: string,
  days = 3650,
): Promise<CertificateFiles> {
  await openssl([
    "req",
    "-x509",
    ...EC_KEY,
    "-keyout",
    "ca.key",
    "-out",
    "ca.crt",
    "-days",
    String(days),
    "-subj",
    subjectOf(commonName),
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
  ], dir);
  return { certFile: `${dir}/ca.crt`, keyFile: `${dir}/ca.key` };
}

/** A new key and a certificate for it signed by `ca`, written in `dir`. */
export async function signCertificate(
  dir: string,
  ca: CertificateFiles,
  req: CertificateRequest,
): Promise<CertificateFiles> {
  const { name } = req;
  await openssl(
    ["req", ...EC_KEY, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", req.subject],
    dir,
  );
  await Deno.writeTextFile(`${dir}/${name}.ext`, req.extensions.map((l) => `${l}\n`).join(""));
  await openssl([
    "x509",
    "-req",
    "-in",
    `${name}.csr`,
    "-CA",
    ca.certFile,
    "-CAkey",
    ca.keyFile,
    // A random serial rather than a serial file beside the CA, which concurrent signers share.
    "-set_serial",
    randomSerial(),
    "-out",
    `${name}.crt`,
    "-days",
    String(req.days ?? 3650),
    "-extfile",
    `${name}.ext`,
  ], dir);
  return { certFile: `${dir}/${name}.crt`, keyFile: `${dir}/${name}.key` };
}

function randomSerial(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  bytes[0] &= 0x7f; // positive, as X.509 requires
  return "0x" + [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}
