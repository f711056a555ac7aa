// Secrets named by secretRef, read from the cluster as Flux does, decoded, and registered with
// the logger so their values never reach a log line.
import { encodeBase64 } from "../../lib/bytes/mod.ts";
import { KubeApiError, type KubeClient } from "../../lib/kube/mod.ts";
import type { SecretRegistry } from "../../lib/log/mod.ts";

export class SecretNotFoundError extends Error {
  override readonly name = "SecretNotFoundError";
  constructor(readonly namespace: string, readonly secretName: string, readonly field: string) {
    super(`${field}: Secret ${namespace}/${secretName} does not exist`);
  }
}

/** Reads a Secret's data (base64-decoded, plus stringData if present) and masks every value. */
export async function readSecretData(
  client: KubeClient,
  namespace: string,
  name: string,
  field: string,
  secrets: SecretRegistry,
): Promise<Record<string, string>> {
  let secret;
  try {
    secret = await client.get("v1", "Secret", name, namespace);
  } catch (e) {
    if (e instanceof KubeApiError && e.isNotFound) {
      throw new SecretNotFoundError(namespace, name, field);
    }
    throw e;
  }
  const out: Record<string, string> = {};
  const data = (secret.data ?? {}) as Record<string, string>;
  for (const [key, value] of Object.entries(data)) {
    out[key] = new TextDecoder().decode(Uint8Array.from(atob(value), (c) => c.charCodeAt(0)));
  }
  Object.assign(out, (secret.stringData ?? {}) as Record<string, string>);
  for (const value of Object.values(out)) secrets.add(value);
  return out;
}

/** Decoded data back in the API's encoding (base64 values), for readers of raw Secret data. */
export function encodeSecretData(data: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    out[key] = encodeBase64(new TextEncoder().encode(value));
  }
  return out;
}
