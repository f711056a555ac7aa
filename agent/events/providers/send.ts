// Delivering one event to one Provider: address and token from its Secret (never logged),
// the service's payload, an HMAC signature for generic-hmac, and retries with backoff on
// network errors and 5xx/429 answers.
import type { Provider } from "../../config/mod.ts";
import { hmacHex } from "../../server/mod.ts";
import type { AgentEvent } from "../event.ts";
import { payloadFor } from "./payloads.ts";

export interface ProviderSecret {
  address?: string;
  token?: string;
  headers?: Record<string, string>;
}

export class DeliveryError extends Error {
  override readonly name = "DeliveryError";
  constructor(readonly provider: string, readonly detail: string) {
    super(`provider ${provider}: ${detail}`);
  }
}

export interface SendOptions {
  attempts?: number;
  baseDelayMs?: number;
  fetch?: typeof fetch;
}

export async function sendEvent(
  provider: Provider,
  secret: ProviderSecret,
  event: AgentEvent,
  options: SendOptions = {},
): Promise<void> {
  const name = `${provider.metadata.namespace}/${provider.metadata.name}`;
  const address = secret.address ?? provider.spec.address;
  if (!address) {
    throw new DeliveryError(name, "no address (spec.address or the Secret's 'address' key)");
  }
  const payload = payloadFor(provider.spec.type, event, provider.spec);
  const headers: Record<string, string> = { "content-type": "application/json", ...secret.headers };
  if (provider.spec.type === "generic-hmac") {
    if (!secret.token) {
      throw new DeliveryError(name, "generic-hmac needs a 'token' key in its Secret");
    }
    headers["x-signature"] = "sha256=" +
      await hmacHex("SHA-256", secret.token, new TextEncoder().encode(payload.body));
  } else if (secret.token && provider.spec.type === "generic") {
    headers.authorization = `Bearer ${secret.token}`;
  }
  const attempts = options.attempts ?? 4;
  const base = options.baseDelayMs ?? 500;
  const doFetch = options.fetch ?? fetch;
  let last = "";
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, base * 2 ** (i - 1)));
    try {
      const response = await doFetch(address + (payload.pathSuffix ?? ""), {
        method: "POST",
        headers,
        body: payload.body,
        signal: AbortSignal.timeout(15_000),
      });
      await response.body?.cancel();
      if (response.ok) return;
      last = `answered ${response.status}`;
      // A request the service refuses will be refused again.
      if (response.status < 500 && response.status !== 429) break;
    } catch (e) {
      // The message may contain the URL, which is a secret for most services.
      last = e instanceof Error ? e.name : "network error";
    }
  }
  throw new DeliveryError(name, `delivery failed after retries (${last})`);
}
