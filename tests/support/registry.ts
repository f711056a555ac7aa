// A real OCI registry for tests: Debian's `docker-registry` (CNCF distribution 2.8) on a
// loopback port with its own config file and storage in a temp dir, optionally behind htpasswd
// basic auth or token auth (with a tiny in-process token server issuing RS256 JWTs whose `x5c`
// header carries the certificate the registry trusts). `pushImage` uploads tiny images (blobs
// + manifest) under several tags through the distribution API, as `docker push` would;
// `pushArtifact` any OCI artifact, `pushHelmChart` a chart as `helm push` does.
import { freePort, startProcess, tempDir, waitForPort } from "./process.ts";

export type RegistryAuthMode = "none" | "htpasswd" | "token";

export interface StartRegistryOptions {
  auth?: RegistryAuthMode;
  /** Users accepted by htpasswd or the token server (default alice/wonderland). */
  users?: Record<string, string>;
  /**
   * Serve HTTPS with a certificate for 127.0.0.1 from a fresh test CA (see `caCert`); "mutual"
   * also requires clients to present a certificate from that CA (see `clientCert`).
   */
  tls?: boolean | "mutual";
}

export interface TestRegistry {
  /** `127.0.0.1:PORT`, to put in image references. */
  host: string;
  /** `http://127.0.0.1:PORT` (`https://` with `tls`). */
  url: string;
  /** The PEM certificate to trust when `tls` is on. */
  caCert?: string;
  /** A client certificate the registry accepts when `tls` is "mutual". */
  clientCert?: { cert: string; key: string };
  auth: RegistryAuthMode;
  users: Record<string, string>;
  /** How many tokens the token server issued (token auth only). */
  tokensIssued(): number;
  stop(): Promise<void>;
}

export interface Credentials {
  username: string;
  password: string;
}

const TOKEN_SERVICE = "skiff-test-registry";
const TOKEN_ISSUER = "skiff-test-token-issuer";

/** Starts docker-registry; call `stop()` in a finally block. */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  const auth = options.auth ?? "none";
  const users = options.users ?? { alice: "wonderland" };
  const dir = await tempDir("skiff-registry-");
  const port = freePort();
  let tokenServer: TokenServer | undefined;
  let authConfig = "";
  try {
    if (auth === "htpasswd") {
      const lines: string[] = [];
      for (const [user, password] of Object.entries(users)) {
        lines.push(await htpasswdLine(user, password));
      }
      await Deno.writeTextFile(`${dir.path}/htpasswd`, lines.join("\n") + "\n");
      authConfig = `auth:\n  htpasswd:\n    realm: skiff-test\n    path: ${dir.path}/htpasswd\n`;
    } else if (auth === "token") {
      tokenServer = await startTokenServer(dir.path, users);
      authConfig = [
        "auth:",
        "  token:",
        `    realm: ${tokenServer.url}/token`,
        `    service: ${TOKEN_SERVICE}`,
        `    issuer: ${TOKEN_ISSUER}`,
        `    rootcertbundle: ${dir.path}/token-cert.pem`,
        "",
      ].join("\n");
    }
    let tlsConfig = "";
    let caCert: string | undefined;
    let clientCert: { cert: string; key: string } | undefined;
    if (options.tls) {
      caCert = await certificateAuthority(dir.path);
      await signedCertificate(dir.path, "tls", "127.0.0.1", [
        "subjectAltName=IP:127.0.0.1",
        "extendedKeyUsage=serverAuth",
      ]);
      if (options.tls === "mutual") {
        clientCert = await signedCertificate(dir.path, "client", "skiff-test-client", [
          "extendedKeyUsage=clientAuth",
        ]);
      }
      tlsConfig = [
        "  tls:",
        `    certificate: ${dir.path}/tls-cert.pem`,
        `    key: ${dir.path}/tls-key.pem`,
        ...(clientCert ? ["    clientcas:", `      - ${dir.path}/ca.pem`] : []),
      ].join("\n");
    }
    const config = [
      "version: 0.1",
      "log:",
      "  level: error",
      "  accesslog:",
      "    disabled: true",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${dir.path}/storage`,
      "  delete:",
      "    enabled: true",
      "http:",
      `  addr: 127.0.0.1:${port}`,
      "  secret: skiff-test-secret",
      tlsConfig,
      authConfig,
    ].join("\n");
    await Deno.writeTextFile(`${dir.path}/config.yml`, config);
    const process = startProcess("docker-registry", ["serve", `${dir.path}/config.yml`]);
    try {
      await waitForPort(port, 15_000);
    } catch (e) {
      await process.stop();
      throw e;
    }
    const host = `127.0.0.1:${port}`;
    return {
      host,
      url: `${options.tls ? "https" : "http"}://${host}`,
      caCert,
      clientCert,
      auth,
      users,
      tokensIssued: () => tokenServer?.issued ?? 0,
      async stop() {
        await process.stop();
        await tokenServer?.stop();
        await dir.remove();
      },
    };
  } catch (e) {
    await tokenServer?.stop();
    await dir.remove();
    throw e;
  }
}

async function htpasswdLine(user: string, password: string): Promise<string> {
  const out = await new Deno.Command("htpasswd", {
    args: ["-Bbn", user, password],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (out.code !== 0) throw new Error(`htpasswd failed: ${new TextDecoder().decode(out.stderr)}`);
  return new TextDecoder().decode(out.stdout).trim();
}

interface TokenServer {
  url: string;
  issued: number;
  stop(): Promise<void>;
}

/**
 * The Docker token protocol: GET /token?service=..&scope=repository:NAME:ACTIONS with Basic
 * credentials; answers {token} with a JWT signed by a key whose certificate (in `x5c`) is the
 * registry's rootcertbundle. Anonymous requests get a token with no access.
 */
async function startTokenServer(dir: string, users: Record<string, string>): Promise<TokenServer> {
  const keyFile = `${dir}/token-key.pem`;
  const certFile = `${dir}/token-cert.pem`;
  const openssl = await new Deno.Command("openssl", {
    args: [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      keyFile,
      "-out",
      certFile,
      "-days",
      "2",
      "-subj",
      "/CN=skiff-test-token-issuer",
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (openssl.code !== 0) {
    throw new Error(`openssl failed: ${new TextDecoder().decode(openssl.stderr)}`);
  }
  const key = await crypto.subtle.importKey(
    "pkcs8",
    pemBody(await Deno.readTextFile(keyFile), "PRIVATE KEY"),
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const certDer = pemBody(await Deno.readTextFile(certFile), "CERTIFICATE");
  const x5c = btoa(String.fromCharCode(...certDer));
  const state = { issued: 0 };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const url = new URL(req.url);
    if (url.pathname !== "/token") return new Response("not found", { status: 404 });
    const user = authenticatedUser(req.headers.get("authorization"), users);
    if (user === null) {
      return new Response(JSON.stringify({ details: "bad credentials" }), { status: 401 });
    }
    const access = user === undefined ? [] : url.searchParams.getAll("scope").flatMap(parseScope);
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: TOKEN_ISSUER,
      sub: user ?? "",
      aud: url.searchParams.get("service") ?? TOKEN_SERVICE,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: crypto.randomUUID(),
      access,
    };
    const token = await signJwt({ typ: "JWT", alg: "RS256", x5c: [x5c] }, claims, key);
    state.issued++;
    return new Response(
      JSON.stringify({ token, expires_in: 300, issued_at: new Date().toISOString() }),
      {
        headers: { "content-type": "application/json" },
      },
    );
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    get issued() {
      return state.issued;
    },
    stop: () => server.shutdown(),
  };
}

/** A test CA (ca.pem, ca-key.pem in dir); returns its certificate. */
async function certificateAuthority(dir: string): Promise<string> {
  await selfSignedCert(`${dir}/ca-key.pem`, `${dir}/ca.pem`, "skiff-test-ca");
  return await Deno.readTextFile(`${dir}/ca.pem`);
}

/**
 * A key and certificate `${name}-key.pem`, `${name}-cert.pem` signed by the test CA, with the
 * given X.509 extensions. (TLS clients refuse a CA certificate used as a server's own.)
 */
async function signedCertificate(dir: string, name: string, cn: string, extensions: string[]) {
  const [key, cert, csr, ext] = ["key.pem", "cert.pem", "csr", "ext.cnf"].map((s) =>
    `${dir}/${name}-${s}`
  );
  await openssl([
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    key,
    "-out",
    csr,
    "-subj",
    `/CN=${cn}`,
  ]);
  await Deno.writeTextFile(ext, ["basicConstraints=CA:FALSE", ...extensions, ""].join("\n"));
  await openssl([
    ...["x509", "-req", "-in", csr, "-CA", `${dir}/ca.pem`, "-CAkey", `${dir}/ca-key.pem`],
    ...["-CAcreateserial", "-out", cert, "-days", "2", "-extfile", ext],
  ]);
  return { key: await Deno.readTextFile(key), cert: await Deno.readTextFile(cert) };
}

async function openssl(args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", { args, stdout: "null", stderr: "piped" }).output();
  if (out.code !== 0) throw new Error(`openssl failed: ${new TextDecoder().decode(out.stderr)}`);
}

/** A key (PKCS#8 PEM) and self-signed certificate made with the openssl CLI. */
async function selfSignedCert(keyFile: string, certFile: string, cn: string) {
  await openssl([
    ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile],
    ...["-days", "2", "-subj", `/CN=${cn}`],
  ]);
}

/** The user name for valid Basic credentials, undefined when anonymous, null when wrong. */
function authenticatedUser(
  header: string | null,
  users: Record<string, string>,
): string | undefined | null {
  if (!header) return undefined;
  const m = /^Basic\s+(.+)$/i.exec(header);
  if (!m) return null;
  const decoded = atob(m[1]);
  const colon = decoded.indexOf(":");
  const user = decoded.slice(0, colon);
  return colon > 0 && users[user] === decoded.slice(colon + 1) ? user : null;
}

function parseScope(scope: string): { type: string; name: string; actions: string[] }[] {
  const m = /^([a-z]+):(.+):([a-z*,]+)$/.exec(scope);
  return m ? [{ type: m[1], name: m[2], actions: m[3].split(",") }] : [];
}

async function signJwt(header: object, claims: object, key: CryptoKey): Promise<string> {
  const enc = (o: object) => base64url(new TextEncoder().encode(JSON.stringify(o)));
  const input = `${enc(header)}.${enc(claims)}`;
  const sig = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, new TextEncoder().encode(input));
  return `${input}.${base64url(new Uint8Array(sig))}`;
}

function base64url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function pemBody(pem: string, label: string): Uint8Array<ArrayBuffer> {
  const m = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`).exec(pem);
  if (!m) throw new Error(`no ${label} in PEM`);
  return Uint8Array.from(atob(m[1].replace(/\s+/g, "")), (c) => c.charCodeAt(0));
}

export interface PushedImage {
  /** Digest of the manifest all the tags point to. */
  digest: string;
}

/**
 * Pushes one tiny image (a config blob, one layer, a Docker v2 manifest) to `repository` and
 * tags it with every tag in `tags`. Each call makes a distinct image (the config holds `label`).
 */
export async function pushImage(
  registry: Pick<TestRegistry, "url" | "caCert" | "clientCert">,
  repository: string,
  tags: string[],
  options: { credentials?: Credentials; label?: string } = {},
): Promise<PushedImage> {
  const label = options.label ?? tags.join(",");
  const layer = new TextEncoder().encode(`layer of ${repository} ${label}`);
  const layerDigest = await sha256(layer);
  return await pushArtifact(registry, repository, tags, {
    credentials: options.credentials,
    manifestMediaType: "application/vnd.docker.distribution.manifest.v2+json",
    configMediaType: "application/vnd.docker.container.image.v1+json",
    config: new TextEncoder().encode(JSON.stringify({
      architecture: "amd64",
      os: "linux",
      config: { Labels: { "skiff.test": label } },
      rootfs: { type: "layers", diff_ids: [layerDigest] },
    })),
    layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", bytes: layer }],
  });
}

export interface ArtifactLayer {
  mediaType: string;
  bytes: Uint8Array<ArrayBuffer>;
  annotations?: Record<string, string>;
}

export interface ArtifactOptions {
  config: Uint8Array<ArrayBuffer>;
  configMediaType: string;
  layers: ArtifactLayer[];
  /** Default: an OCI image manifest. */
  manifestMediaType?: string;
  annotations?: Record<string, string>;
  credentials?: Credentials;
}

/**
 * Pushes any OCI artifact (config blob, layers, a manifest naming them) under every tag in
 * `tags`, e.g. a Helm chart (see `pushHelmChart`) or an OCIRepository's content.
 */
export async function pushArtifact(
  registry: Pick<TestRegistry, "url" | "caCert" | "clientCert">,
  repository: string,
  tags: string[],
  artifact: ArtifactOptions,
): Promise<PushedImage> {
  const client = registry.caCert
    ? Deno.createHttpClient({ caCerts: [registry.caCert], ...(registry.clientCert ?? {}) })
    : undefined;
  try {
    const session = new PushSession(registry.url, repository, artifact.credentials, client);
    const mediaType = artifact.manifestMediaType ?? "application/vnd.oci.image.manifest.v1+json";
    const layers = [];
    for (const layer of artifact.layers) {
      layers.push({
        mediaType: layer.mediaType,
        size: layer.bytes.length,
        digest: await session.uploadBlob(layer.bytes),
        ...(layer.annotations ? { annotations: layer.annotations } : {}),
      });
    }
    const manifest = new TextEncoder().encode(JSON.stringify({
      schemaVersion: 2,
      mediaType,
      config: {
        mediaType: artifact.configMediaType,
        size: artifact.config.length,
        digest: await session.uploadBlob(artifact.config),
      },
      layers,
      ...(artifact.annotations ? { annotations: artifact.annotations } : {}),
    }));
    for (const tag of tags) await session.putManifest(tag, manifest, mediaType);
    return { digest: await sha256(manifest) };
  } finally {
    client?.close();
  }
}

/**
 * Pushes a packaged chart (`.tgz` bytes) the way `helm push` does: Chart.yaml metadata as the
 * config, the archive as the one layer, tagged with the version (`+` written `_`, as Helm does).
 */
export async function pushHelmChart(
  registry: Pick<TestRegistry, "url" | "caCert" | "clientCert">,
  repository: string,
  chart: { name: string; version: string; apiVersion?: string; [key: string]: unknown },
  tgz: Uint8Array<ArrayBuffer>,
  options: { credentials?: Credentials } = {},
): Promise<PushedImage> {
  return await pushArtifact(registry, repository, [chart.version.replaceAll("+", "_")], {
    credentials: options.credentials,
    configMediaType: "application/vnd.cncf.helm.config.v1+json",
    config: new TextEncoder().encode(JSON.stringify({ apiVersion: "v2", ...chart })),
    layers: [{ mediaType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip", bytes: tgz }],
  });
}

class PushSession {
  #authorization?: string;
  constructor(
    readonly base: string,
    readonly repository: string,
    readonly credentials?: Credentials,
    readonly client?: Deno.HttpClient,
  ) {}

  async uploadBlob(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
    const digest = await sha256(bytes);
    const start = await this.#send("POST", `/v2/${this.repository}/blobs/uploads/`);
    await start.body?.cancel();
    if (start.status !== 202) throw new Error(`starting a blob upload: ${start.status}`);
    const location = new URL(start.headers.get("location")!, this.base);
    location.searchParams.set("digest", digest);
    const put = await this.#send("PUT", location.toString(), bytes, "application/octet-stream");
    await put.body?.cancel();
    if (put.status !== 201) throw new Error(`uploading blob ${digest}: ${put.status}`);
    return digest;
  }

  async putManifest(
    tag: string,
    manifest: Uint8Array<ArrayBuffer>,
    mediaType: string,
  ): Promise<void> {
    const res = await this.#send(
      "PUT",
      `/v2/${this.repository}/manifests/${tag}`,
      manifest,
      mediaType,
    );
    const text = await res.text();
    if (res.status !== 201) {
      throw new Error(`pushing manifest ${this.repository}:${tag}: ${res.status} ${text}`);
    }
  }

  async #send(
    method: string,
    path: string,
    body?: Uint8Array<ArrayBuffer>,
    type?: string,
  ): Promise<Response> {
    const url = new URL(path, this.base).toString();
    const attempt = () => {
      const headers = new Headers();
      if (type) headers.set("content-type", type);
      if (this.#authorization) headers.set("authorization", this.#authorization);
      return fetch(url, { method, headers, body, client: this.client });
    };
    let res = await attempt();
    if (res.status === 401 && this.credentials) {
      const challenge = res.headers.get("www-authenticate") ?? "";
      await res.body?.cancel();
      this.#authorization = await this.#authorize(challenge);
      res = await attempt();
    }
    return res;
  }

  async #authorize(challenge: string): Promise<string> {
    const { username, password } = this.credentials!;
    const basic = `Basic ${btoa(`${username}:${password}`)}`;
    if (/^basic/i.test(challenge)) return basic;
    const realm = /realm="([^"]*)"/.exec(challenge)?.[1];
    const service = /service="([^"]*)"/.exec(challenge)?.[1];
    if (!realm) throw new Error(`unexpected challenge ${challenge}`);
    const url = new URL(realm);
    if (service) url.searchParams.set("service", service);
    url.searchParams.set("scope", `repository:${this.repository}:pull,push`);
    const res = await fetch(url, { headers: { authorization: basic }, client: this.client });
    if (!res.ok) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
    return `Bearer ${(await res.json()).token}`;
  }
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return `sha256:${Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}
