// Delivering one event to one Provider: the requests its type makes (requests.ts), sent over
// a client that trusts certSecretRef's CA and goes through the proxy when one is set, each
// retried with backoff on network errors and 5xx/429 answers, within spec.timeout per attempt.
// A call with a presence check (commit statuses) is skipped when the service already shows it.
// Errors name the provider and never the URL or a header: both carry tokens for most services.
import type { Provider } from "../../config/mod.ts";
import { parseDurationMillis } from "../../../lib/duration/mod.ts";
import type { AgentEvent } from "../event.ts";
import { basicAuth, type HttpCall, type PresenceCheck } from "./http_call.ts";
import type { ProviderContext } from "./provider_context.ts";
import { plannedCalls } from "./requests.ts";
import type { ProviderSecret } from "./secret.ts";

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

export interface DeliveryResult {
  /** Requests the service accepted. */
  sent: number;
  /** Requests not made because the service already showed the same (commit statuses). */
  present?: number;
  /** Why nothing was sent (a commit-status provider and an event without a commit). */
  skipped?: string;
}

export async function sendEvent(
  provider: Provider,
  secret: ProviderSecret,
  event: AgentEvent,
  options: SendOptions = {},
): Promise<DeliveryResult> {
  const name = `${provider.metadata.namespace}/${provider.metadata.name}`;
  const context: ProviderContext = {
    namespace: provider.metadata.namespace,
    name: provider.metadata.name,
    type: provider.spec.type,
    address: secret.address ?? provider.spec.address,
    channel: provider.spec.channel,
    username: secret.username ?? provider.spec.username,
    secret,
  };
  let planned;
  try {
    planned = await plannedCalls(context, event);
  } catch (e) {
    throw new DeliveryError(name, e instanceof Error ? e.message : String(e));
  }
  if (planned.skipped !== undefined) return { sent: 0, skipped: planned.skipped };

  const client = httpClientFor(secret, provider.spec.proxy);
  const timeoutMs = parseDurationMillis(provider.spec.timeout ?? "15s");
  const result: DeliveryResult = { sent: 0 };
  try {
    for (const call of planned.calls) {
      if (call.unlessPresent && await isPresent(call.unlessPresent, timeoutMs, client, options)) {
        result.present = (result.present ?? 0) + 1;
        continue;
      }
      await deliver(name, withUrlCredentials(name, call), timeoutMs, client, options);
      result.sent++;
    }
  } finally {
    client?.close();
  }
  return result;
}

/** Asks once; any failure to answer means "not there", and the call is made. */
async function isPresent(
  check: PresenceCheck,
  timeoutMs: number,
  client: Deno.HttpClient | undefined,
  options: SendOptions,
): Promise<boolean> {
  const init: RequestInit & { client?: Deno.HttpClient } = {
    method: "GET",
    headers: { accept: "application/json", ...check.headers },
    signal: AbortSignal.timeout(timeoutMs),
  };
  if (client) init.client = client;
  try {
    const response = await (options.fetch ?? fetch)(check.url, init);
    if (!response.ok) {
      await response.body?.cancel();
      return false;
    }
    return check.present(await response.json());
  } catch {
    return false;
  }
}

async function deliver(
  name: string,
  call: HttpCall,
  timeoutMs: number,
  client: Deno.HttpClient | undefined,
  options: SendOptions,
): Promise<void> {
  const attempts = options.attempts ?? 4;
  const base = options.baseDelayMs ?? 500;
  const doFetch = options.fetch ?? fetch;
  let last = "";
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, base * 2 ** (i - 1)));
    try {
      const init: RequestInit & { client?: Deno.HttpClient } = {
        method: call.method,
        headers: call.headers,
        body: call.body,
        signal: AbortSignal.timeout(timeoutMs),
      };
      if (client) init.client = client;
      const response = await doFetch(call.url, init);
      await response.body?.cancel();
      if (response.ok) return;
      last = `answered ${response.status}`;
      // A request the service refuses will be refused again.
      if (response.status < 500 && response.status !== 429) break;
    } catch (e) {
      // The message may contain the URL, which is a secret for most services.
      last = e instanceof Error ? describeFailure(e) : "network error";
    }
  }
  throw new DeliveryError(name, `delivery failed after retries (${last})`);
}

/** The kind of failure without the text, which may quote the URL. */
function describeFailure(e: Error): string {
  if (e.name === "TimeoutError") return "timed out";
  if (/certificate|tls|ssl/i.test(e.message)) return `${e.name}: TLS handshake failed`;
  return e.name;
}

/** fetch refuses URLs with credentials; `https://user:pass@host/` becomes basic auth. */
function withUrlCredentials(name: string, call: HttpCall): HttpCall {
  let url: URL;
  try {
    url = new URL(call.url);
  } catch {
    throw new DeliveryError(
      name,
      "the address is not a URL (spec.address or the Secret's 'address')",
    );
  }
  if (!url.username && !url.password) return call;
  const headers = { ...call.headers };
  headers.authorization ??= basicAuth(
    decodeURIComponent(url.username),
    decodeURIComponent(url.password),
  );
  url.username = "";
  url.password = "";
  return { ...call, url: url.toString(), headers };
}

function httpClientFor(
  secret: ProviderSecret,
  specProxy: string | undefined,
): Deno.HttpClient | undefined {
  const proxyAddress = secret.proxy ?? specProxy;
  if (!secret.caCert && !secret.clientCert && !proxyAddress) return undefined;
  const options: Deno.CreateHttpClientOptions = {};
  if (secret.caCert) options.caCerts = [secret.caCert];
  if (secret.clientCert) {
    Object.assign(options, { cert: secret.clientCert.cert, key: secret.clientCert.key });
  }
  if (proxyAddress) {
    const url = new URL(proxyAddress);
    const username = secret.proxyUsername ?? decodeURIComponent(url.username);
    const password = secret.proxyPassword ?? decodeURIComponent(url.password);
    url.username = "";
    url.password = "";
    options.proxy = {
      url: url.toString(),
      ...(username ? { basicAuth: { username, password } } : {}),
    };
  }
  return Deno.createHttpClient(options);
}
