// Credentials from the Secret named by spec.secretRef (and spec.proxySecretRef), with Flux's
// field names. They stay in memory: handed to the transports, registered for log masking,
// never written to disk.
import type { SecretRegistry } from "../log/mod.ts";
import { GitError } from "./errors.ts";

/** A Secret's data, already base64-decoded. */
export type SecretData = Record<string, string>;

export interface HttpAuth {
  headers: Record<string, string>;
  caCert?: string;
  /** A client certificate and its key (PEM) for servers that require mutual TLS. */
  clientCert?: { cert: string; key: string };
}

export interface SshAuth {
  privateKey: string;
  passphrase?: string;
  knownHosts: string;
}

export interface ProxyConfig {
  url: string;
  username?: string;
  password?: string;
}

/**
 * username/password (basic) or bearerToken, ca.crt, and tls.crt/tls.key (a client certificate),
 * for HTTP(S) remotes. caFile/certFile/keyFile are the names older Flux versions used.
 */
export function httpAuth(secret: SecretData | undefined, url: string): HttpAuth {
  const headers: Record<string, string> = {};
  if (!secret) return { headers };
  const caCert = secret["ca.crt"] ?? secret["caFile"];
  const clientCert = clientCertificate(secret, url);
  if (secret.bearerToken) {
    headers.authorization = `Bearer ${secret.bearerToken}`;
  } else if (secret.username !== undefined || secret.password !== undefined) {
    if (!secret.username || secret.password === undefined) {
      throw new GitError(
        "InvalidSpec",
        "the secret of spec.secretRef needs both 'username' and 'password' for basic auth",
        url,
      );
    }
    headers.authorization = `Basic ${base64(`${secret.username}:${secret.password}`)}`;
  }
  return { headers, caCert, clientCert };
}

/** tls.crt with tls.key (or certFile with keyFile); one without the other is a mistake. */
function clientCertificate(
  secret: SecretData,
  url: string,
): { cert: string; key: string } | undefined {
  const cert = secret["tls.crt"] ?? secret["certFile"];
  const key = secret["tls.key"] ?? secret["keyFile"];
  if (cert === undefined && key === undefined) return undefined;
  if (!cert || !key) {
    const [has, lacks] = cert ? ["tls.crt", "tls.key"] : ["tls.key", "tls.crt"];
    throw new GitError(
      "InvalidSpec",
      `the secret of spec.secretRef has '${has}' but no '${lacks}': a client certificate ` +
        "needs both (PEM)",
      url,
    );
  }
  return { cert, key };
}

/** identity (+ password as passphrase) and known_hosts, for SSH remotes. */
export function sshAuth(secret: SecretData | undefined, url: string): SshAuth {
  if (!secret?.identity) {
    throw new GitError(
      "InvalidSpec",
      "an SSH URL needs spec.secretRef with an 'identity' (private key) and 'known_hosts'",
      url,
    );
  }
  if (!secret.known_hosts) {
    throw new GitError(
      "InvalidSpec",
      "the secret of spec.secretRef has no 'known_hosts': the SSH host key cannot be verified",
      url,
    );
  }
  return {
    privateKey: secret.identity,
    passphrase: secret.password,
    knownHosts: secret.known_hosts,
  };
}

/** `address`, `username`, `password` of spec.proxySecretRef. */
export function proxyConfig(secret: SecretData | undefined, url: string): ProxyConfig | undefined {
  if (!secret) return undefined;
  if (!secret.address) {
    throw new GitError("InvalidSpec", "the secret of spec.proxySecretRef has no 'address'", url);
  }
  return { url: secret.address, username: secret.username, password: secret.password };
}

/** Secret keys whose values are public (certificates, host keys): not masked in logs. */
const PUBLIC_KEYS = new Set([
  "known_hosts",
  "ca.crt",
  "caFile",
  "tls.crt",
  "certFile",
  "identity.pub",
]);

/** Every credential value, so loggers mask them. */
export function registerSecrets(
  registry: SecretRegistry | undefined,
  ...secrets: (SecretData | undefined)[]
) {
  if (!registry) return;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const [key, value] of Object.entries(secret)) {
      if (PUBLIC_KEYS.has(key)) continue;
      registry.add(value);
      if (key === "username" && secret.password) {
        registry.add(base64(`${value}:${secret.password}`));
      }
    }
  }
}

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
