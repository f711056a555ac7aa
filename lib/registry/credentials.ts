// Registry credentials from a `kubernetes.io/dockerconfigjson` (or legacy `.dockercfg`) Secret,
// matched against a registry host the way Docker does: scheme and path of the config key are
// ignored, and all Docker Hub host names are one.
import { normaliseRegistry } from "./reference.ts";

export interface RegistryCredentials {
  username?: string;
  password?: string;
  /** An OAuth2 refresh token (`identitytoken`), exchanged at the token endpoint. */
  identityToken?: string;
  /** A bearer token to send as is (`registrytoken`). */
  registryToken?: string;
}

export class CredentialsError extends Error {
  override readonly name = "CredentialsError";
  constructor(readonly key: string, readonly reason: string) {
    super(`Secret data ${JSON.stringify(key)}: ${reason}`);
  }
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

/**
 * The credentials for `host` in a Secret's `data` (values base64-encoded, as the API returns
 * them), or undefined when the config has no entry for that registry.
 */
export function credentialsFromDockerConfig(
  secretData: Record<string, string>,
  host: string,
): RegistryCredentials | undefined {
  const key = ".dockerconfigjson" in secretData ? ".dockerconfigjson" : ".dockercfg";
  const encoded = secretData[key];
  if (encoded === undefined) {
    throw new CredentialsError(
      ".dockerconfigjson",
      "missing (expected a kubernetes.io/dockerconfigjson Secret)",
    );
  }
  let config: unknown;
  try {
    config = JSON.parse(decodeBase64Text(encoded));
  } catch {
    throw new CredentialsError(key, "is not base64-encoded JSON");
  }
  if (!isRecord(config)) throw new CredentialsError(key, "is not a JSON object");
  const auths = isRecord(config.auths) ? config.auths : key === ".dockercfg" ? config : {};
  const wanted = normaliseRegistry(host);
  for (const [server, entry] of Object.entries(auths)) {
    if (hostOfConfigKey(server) !== wanted || !isRecord(entry)) continue;
    return credentialsOf(key, server, entry as AuthEntry);
  }
  return undefined;
}

function credentialsOf(key: string, server: string, entry: AuthEntry): RegistryCredentials {
  const out: RegistryCredentials = {};
  if (entry.auth) {
    let decoded: string;
    try {
      decoded = decodeBase64Text(entry.auth);
    } catch {
      throw new CredentialsError(key, `auths.${server}.auth is not base64`);
    }
    const colon = decoded.indexOf(":");
    if (colon < 0) {
      throw new CredentialsError(key, `auths.${server}.auth is not base64 of user:password`);
    }
    out.username = decoded.slice(0, colon);
    out.password = decoded.slice(colon + 1);
  }
  if (entry.username) out.username = entry.username;
  if (entry.password) out.password = entry.password;
  if (entry.identitytoken) out.identityToken = entry.identitytoken;
  if (entry.registrytoken) out.registryToken = entry.registrytoken;
  return out;
}

/** `https://index.docker.io/v1/` → `index.docker.io`; `localhost:5000/x` → `localhost:5000`. */
function hostOfConfigKey(server: string): string {
  const noScheme = server.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
  return normaliseRegistry(noScheme.split("/")[0]);
}

function decodeBase64Text(s: string): string {
  const bin = atob(s.trim());
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
