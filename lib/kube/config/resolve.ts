// Turning a merged kubeconfig and a chosen context into a ClusterConfig: reads the CA and client
// certificate files, decodes the -data fields and picks the user's way of authenticating.
import { KubeConfigError } from "../errors.ts";
import type { ClusterConfig, Credential, CredentialSource } from "./credentials.ts";
import { basic, bearer, staticCredentials } from "./credentials.ts";
import { execCredentials, type ExecOptions } from "./exec.ts";
import type { KubeconfigUser, MergedKubeconfig, Named } from "./kubeconfig_file.ts";
import { tokenFileCredentials } from "./token_file.ts";

export interface ResolveOptions {
  context?: string;
  /** Overrides the context's namespace. */
  namespace?: string;
  exec?: ExecOptions;
}

export async function resolveContext(
  config: MergedKubeconfig,
  options: ResolveOptions = {},
): Promise<ClusterConfig> {
  const files = config.files.join(":") || "(no kubeconfig file)";
  const contextName = options.context ?? config.currentContext;
  if (!contextName) {
    throw new KubeConfigError(files, "current-context", "no context is selected; pass --context");
  }
  const context = config.contexts.get(contextName);
  if (!context) {
    const known = [...config.contexts.keys()];
    throw new KubeConfigError(
      files,
      "contexts",
      `context '${contextName}' is not defined (defined: ${known.join(", ") || "none"})`,
    );
  }
  const clusterName = context.value.cluster ?? "";
  const cluster = config.clusters.get(clusterName);
  if (!cluster) {
    throw new KubeConfigError(
      context.file,
      `contexts[${contextName}].cluster`,
      `cluster '${clusterName}' is not defined`,
    );
  }
  const c = cluster.value;
  if (!c.server) {
    throw new KubeConfigError(cluster.file, `clusters[${clusterName}].cluster.server`, "missing");
  }
  let server: URL;
  try {
    server = new URL(c.server);
  } catch {
    throw new KubeConfigError(
      cluster.file,
      `clusters[${clusterName}].cluster.server`,
      `'${c.server}' is not a URL`,
    );
  }
  const caPem = c["certificate-authority-data"]
    ? decodeBase64(
      cluster.file,
      `clusters[${clusterName}].cluster.certificate-authority-data`,
      c["certificate-authority-data"],
    )
    : c["certificate-authority"]
    ? await readFile(
      cluster.file,
      `clusters[${clusterName}].cluster.certificate-authority`,
      c["certificate-authority"],
    )
    : undefined;

  const userName = context.value.user ?? "";
  const user: Named<KubeconfigUser> = config.users.get(userName) ??
    { name: userName, value: {}, file: context.file };
  const credentials = await userCredentials(user, {
    server: c.server,
    // Plugins get the CA bytes (base64), also when the kubeconfig names a file.
    "certificate-authority-data": caPem !== undefined ? toBase64(caPem) : undefined,
    "insecure-skip-tls-verify": c["insecure-skip-tls-verify"],
    "tls-server-name": c["tls-server-name"],
    "proxy-url": c["proxy-url"],
  }, options.exec);
  const u = user.value;
  return {
    server: server.href.replace(/\/+$/, ""),
    namespace: options.namespace ?? context.value.namespace ?? "default",
    tls: {
      caPem,
      insecureSkipVerify: c["insecure-skip-tls-verify"] === true,
      serverName: c["tls-server-name"],
    },
    proxyUrl: c["proxy-url"],
    credentials,
    impersonate: u.as ? { user: u.as, groups: u["as-groups"], uid: u["as-uid"] } : undefined,
    source: `kubeconfig ${files}, context ${contextName}`,
    contextName,
  };
}

async function userCredentials(
  user: Named<KubeconfigUser>,
  cluster: Parameters<typeof execCredentials>[1],
  execOptions: ExecOptions | undefined,
): Promise<CredentialSource> {
  const u = user.value;
  const at = (field: string) => `users[${user.name}].user.${field}`;
  if (u["auth-provider"] !== undefined) {
    throw new KubeConfigError(
      user.file,
      at("auth-provider"),
      "auth-provider plugins were removed from kubectl; use an exec plugin instead",
    );
  }
  const certPem = u["client-certificate-data"]
    ? decodeBase64(user.file, at("client-certificate-data"), u["client-certificate-data"])
    : u["client-certificate"]
    ? await readFile(user.file, at("client-certificate"), u["client-certificate"])
    : undefined;
  const keyPem = u["client-key-data"]
    ? decodeBase64(user.file, at("client-key-data"), u["client-key-data"])
    : u["client-key"]
    ? await readFile(user.file, at("client-key"), u["client-key"])
    : undefined;
  if ((certPem === undefined) !== (keyPem === undefined)) {
    throw new KubeConfigError(
      user.file,
      at(certPem ? "client-key" : "client-certificate"),
      "a client certificate needs both the certificate and its key",
    );
  }
  const methods = [u.token || u.tokenFile, u.username, u.exec].filter(Boolean).length;
  if (methods > 1) {
    throw new KubeConfigError(
      user.file,
      `users[${user.name}].user`,
      "set only one of token/tokenFile, username/password and exec",
    );
  }
  if (u.exec) {
    if (!u.exec.command) throw new KubeConfigError(user.file, at("exec.command"), "missing");
    const exec = execCredentials(u.exec, cluster, execOptions);
    if (!certPem) return exec;
    return {
      get: async () => ({ certPem, keyPem, ...withoutUndefined(await exec.get()) }),
      invalidate: () => exec.invalidate(),
    };
  }
  if (u.token) return staticCredentials({ authorization: bearer(u.token), certPem, keyPem });
  if (u.tokenFile) return tokenFileCredentials(u.tokenFile, { certPem, keyPem });
  if (u.username !== undefined) {
    return staticCredentials({
      authorization: basic(u.username, u.password ?? ""),
      certPem,
      keyPem,
    });
  }
  return staticCredentials({ certPem, keyPem });
}

function withoutUndefined(c: Credential): Credential {
  const out: Credential = {};
  if (c.authorization) out.authorization = c.authorization;
  if (c.certPem) out.certPem = c.certPem;
  if (c.keyPem) out.keyPem = c.keyPem;
  return out;
}

function decodeBase64(file: string, field: string, value: string): string {
  try {
    const binary = atob(value.replace(/\s+/g, ""));
    return new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
  } catch {
    throw new KubeConfigError(file, field, "is not valid base64");
  }
}

async function readFile(file: string, field: string, path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    throw new KubeConfigError(file, field, `cannot read ${path}: ${(e as Error).message}`);
  }
}

function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
