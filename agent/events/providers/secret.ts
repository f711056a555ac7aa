// What a Provider's Secrets hold, as Flux documents the keys: `spec.secretRef` (address, token,
// username, password, headers as a YAML map, proxy), `spec.certSecretRef` (ca.crt, and tls.crt
// with tls.key for a client certificate) and `spec.proxySecretRef` (address, username,
// password). Values were registered with the logger's SecretRegistry when they were read.
import { parseOne, YamlError } from "../../../lib/yaml/mod.ts";

export interface ProviderSecret {
  address?: string;
  token?: string;
  username?: string;
  password?: string;
  headers?: Record<string, string>;
  /** Proxy URL, from secretRef's `proxy` or proxySecretRef's `address`. */
  proxy?: string;
  proxyUsername?: string;
  proxyPassword?: string;
  /** PEM CA certificate trusted for the service (certSecretRef's `ca.crt`). */
  caCert?: string;
  clientCert?: { cert: string; key: string };
}

export class ProviderSecretError extends Error {
  override readonly name = "ProviderSecretError";
  constructor(readonly field: string, readonly key: string, readonly detail: string) {
    super(`${field}: key '${key}' ${detail}`);
  }
}

export interface ProviderSecretData {
  secretRef?: Record<string, string>;
  certSecretRef?: Record<string, string>;
  proxySecretRef?: Record<string, string>;
}

export function providerSecretOf(data: ProviderSecretData): ProviderSecret {
  const s = data.secretRef ?? {};
  const out: ProviderSecret = {
    address: nonEmpty(s.address?.trim()),
    token: nonEmpty(s.token?.trim()),
    username: nonEmpty(s.username),
    password: nonEmpty(s.password),
    proxy: nonEmpty(s.proxy?.trim()),
  };
  if (s.headers !== undefined) out.headers = headersOf(s.headers);
  const proxy = data.proxySecretRef;
  if (proxy) {
    if (!proxy.address) {
      throw new ProviderSecretError("spec.proxySecretRef", "address", "is missing");
    }
    out.proxy = proxy.address.trim();
    out.proxyUsername = nonEmpty(proxy.username);
    out.proxyPassword = nonEmpty(proxy.password);
  }
  const cert = data.certSecretRef;
  if (cert) {
    out.caCert = nonEmpty(cert["ca.crt"] ?? cert.caFile);
    if (cert["tls.crt"] && cert["tls.key"]) {
      out.clientCert = { cert: cert["tls.crt"], key: cert["tls.key"] };
    } else if (cert["tls.crt"] || cert["tls.key"]) {
      throw new ProviderSecretError(
        "spec.certSecretRef",
        cert["tls.crt"] ? "tls.key" : "tls.crt",
        "is missing (a client certificate needs both tls.crt and tls.key)",
      );
    }
  }
  return out;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value ? value : undefined;
}

function headersOf(text: string): Record<string, string> {
  let value: unknown;
  try {
    value = parseOne(text);
  } catch (e) {
    const why = e instanceof YamlError ? e.message : String(e);
    throw new ProviderSecretError("spec.secretRef", "headers", `is not valid YAML: ${why}`);
  }
  if (value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new ProviderSecretError("spec.secretRef", "headers", "must be a map of header: value");
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === "object" && v !== null) {
      throw new ProviderSecretError("spec.secretRef", "headers", `header ${k} must be a string`);
    }
    headers[k.toLowerCase()] = String(v);
  }
  return headers;
}
