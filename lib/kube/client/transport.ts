// The HTTP layer of the client: one Deno HttpClient per TLS identity, authentication headers,
// impersonation, a timeout per request, retries with backoff, and API errors turned into
// typed errors carrying the server's Status.
import type { ClusterConfig, Credential, Impersonation } from "../config/mod.ts";
import {
  type ApiStatus,
  connectionDetail,
  KubeApiError,
  KubeConnectionError,
  KubeTimeoutError,
  type RequestContext,
} from "../errors.ts";
import { startServerNameTunnel, type Tunnel } from "./server_name_tunnel.ts";
import { DEFAULT_RETRY, isRetryableStatus, retryDelayMs, type RetryPolicy } from "./backoff.ts";

export interface TransportOptions {
  /** Per-request timeout until the response headers arrive (default 30 s). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  userAgent?: string;
  /** Allow HTTP/2 when the server offers it (default true); false keeps to HTTP/1.1 pools. */
  http2?: boolean;
  /** Injected for tests: how to wait between retries, and the jitter source. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface KubeRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path and query, starting with "/". */
  path: string;
  body?: string;
  contentType?: string;
  accept?: string;
  context?: Omit<RequestContext, "method" | "url">;
  /** A streaming response (watch): the timeout stops once headers arrive. */
  stream?: boolean;
  signal?: AbortSignal;
  impersonate?: Impersonation;
}

export interface TransportStats {
  requests: number;
  retries: number;
  byMethod: Record<string, number>;
}

export class Transport {
  readonly server: string;
  readonly stats: TransportStats = { requests: 0, retries: 0, byMethod: {} };
  readonly #config: ClusterConfig;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #userAgent: string;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #http2: boolean;
  #httpClient?: { key: string; client: Deno.HttpClient };
  #tunnel?: Tunnel;
  #baseUrl: string;

  constructor(config: ClusterConfig, options: TransportOptions = {}) {
    this.#config = config;
    this.server = config.server;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#userAgent = options.userAgent ?? "skiff";
    this.#sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.#random = options.random ?? Math.random;
    this.#http2 = options.http2 ?? true;
    this.#baseUrl = config.server;
    // Deno cannot set the TLS server name directly: the URL names tls-server-name, and a local
    // CONNECT tunnel carries the connection to the real address (see server_name_tunnel.ts).
    if (config.tls.serverName) {
      const url = new URL(config.server);
      url.hostname = config.tls.serverName;
      this.#baseUrl = url.href.replace(/\/+$/, "");
    }
  }

  get defaultImpersonation(): Impersonation | undefined {
    return this.#config.impersonate;
  }

  /** Sends a request; resolves with a successful response, throws a typed error otherwise. */
  async request(req: KubeRequest): Promise<Response> {
    const url = this.#baseUrl + req.path;
    const context: RequestContext = {
      method: req.method,
      url: this.server + req.path,
      ...req.context,
    };
    let attempt = 0;
    let reauthenticated = false;
    while (true) {
      const credential = await this.#config.credentials.get();
      let response: Response;
      try {
        response = await this.#send(url, req, credential, context);
      } catch (e) {
        if (req.signal?.aborted) throw e;
        if (
          attempt < this.#retry.maxRetries &&
          !(e instanceof KubeTimeoutError && req.method !== "GET")
        ) {
          await this.#sleep(retryDelayMs(this.#retry, attempt++, null, this.#random));
          this.stats.retries++;
          continue;
        }
        throw e;
      }
      if (response.ok) return response;
      if (response.status === 401 && !reauthenticated) {
        // Tokens from exec plugins and rotated files can expire between reads: get fresh ones once.
        await response.body?.cancel();
        this.#config.credentials.invalidate();
        reauthenticated = true;
        continue;
      }
      if (isRetryableStatus(response.status) && attempt < this.#retry.maxRetries) {
        const retryAfter = response.headers.get("retry-after");
        await response.body?.cancel();
        await this.#sleep(retryDelayMs(this.#retry, attempt++, retryAfter, this.#random));
        this.stats.retries++;
        continue;
      }
      throw new KubeApiError(await readStatus(response), context);
    }
  }

  /** Sends a request and parses the JSON answer. */
  async json<T>(req: KubeRequest): Promise<T> {
    const response = await this.request(req);
    return await response.json() as T;
  }

  close(): void {
    this.#httpClient?.client.close();
    this.#httpClient = undefined;
    this.#tunnel?.close();
    this.#tunnel = undefined;
  }

  async #send(
    url: string,
    req: KubeRequest,
    credential: Credential,
    context: RequestContext,
  ): Promise<Response> {
    const headers = new Headers({
      "User-Agent": this.#userAgent,
      Accept: req.accept ?? "application/json",
    });
    if (req.body !== undefined) headers.set("Content-Type", req.contentType ?? "application/json");
    if (credential.authorization) headers.set("Authorization", credential.authorization);
    const imp = req.impersonate ?? this.#config.impersonate;
    if (imp) {
      headers.set("Impersonate-User", imp.user);
      for (const g of imp.groups ?? []) headers.append("Impersonate-Group", g);
      if (imp.uid) headers.set("Impersonate-Uid", imp.uid);
    }
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.#timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout.signal]) : timeout.signal;
    this.stats.requests++;
    this.stats.byMethod[req.method] = (this.stats.byMethod[req.method] ?? 0) + 1;
    try {
      const response = await fetch(url, {
        method: req.method,
        headers,
        body: req.body,
        signal,
        client: this.#clientFor(credential),
      });
      if (!req.stream) {
        // Keep the timeout for the body of ordinary requests: buffer it now.
        const body = await response.arrayBuffer();
        return new Response(response.status === 204 ? null : body, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
      }
      return response;
    } catch (e) {
      if (timeout.signal.aborted && !req.signal?.aborted) {
        throw new KubeTimeoutError(context, this.#timeoutMs);
      }
      if (req.signal?.aborted) throw e;
      let detail = connectionDetail(e);
      if (detail.startsWith("TLS") && this.#config.tls.insecureSkipVerify) {
        detail += "; insecure-skip-tls-verify is set, but Deno verifies certificates unless " +
          "started with --unsafely-ignore-certificate-errors";
      }
      throw new KubeConnectionError(this.server, detail, { cause: e });
    } finally {
      clearTimeout(timer);
    }
  }

  #clientFor(credential: Credential): Deno.HttpClient {
    const key = `${credential.certPem ?? ""}\n${credential.keyPem ?? ""}`;
    if (this.#httpClient?.key === key) return this.#httpClient.client;
    this.#httpClient?.client.close();
    const tls = this.#config.tls;
    const options: Deno.CreateHttpClientOptions & Partial<Deno.TlsCertifiedKeyPem> = {
      caCerts: tls.caPem ? [tls.caPem] : undefined,
      poolMaxIdlePerHost: 32,
      http2: this.#http2,
    };
    if (credential.certPem && credential.keyPem) {
      options.cert = credential.certPem;
      options.key = credential.keyPem;
    }
    const server = new URL(this.server);
    if (tls.serverName) {
      const port = Number(server.port || (server.protocol === "https:" ? 443 : 80));
      this.#tunnel ??= startServerNameTunnel({
        hostname: server.hostname.replace(/^\[|\]$/g, ""),
        port,
      });
      options.proxy = { transport: "http", url: this.#tunnel.url };
    } else if (this.#config.proxyUrl) {
      const proxy = new URL(this.#config.proxyUrl);
      const transport = proxy.protocol.startsWith("socks5")
        ? "socks5"
        : proxy.protocol === "https:"
        ? "https"
        : "http";
      options.proxy = { transport, url: this.#config.proxyUrl };
    }
    const client = Deno.createHttpClient(options as Deno.CreateHttpClientOptions);
    this.#httpClient = { key, client };
    return client;
  }
}

/** Reads the Status of a failed response; a non-Status body becomes one. */
async function readStatus(response: Response): Promise<ApiStatus> {
  const text = await response.text();
  try {
    const parsed = JSON.parse(text) as Partial<ApiStatus>;
    if (parsed && typeof parsed === "object" && (parsed.kind === "Status" || parsed.reason)) {
      return {
        ...parsed,
        code: parsed.code ?? response.status,
        reason: parsed.reason ?? "",
        message: parsed.message ?? "",
      } as ApiStatus;
    }
  } catch {
    // not JSON: fall through
  }
  return {
    code: response.status,
    reason: reasonForCode(response.status),
    message: text.trim().slice(0, 500) || response.statusText,
  };
}

function reasonForCode(code: number): string {
  const reasons: Record<number, string> = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    406: "NotAcceptable",
    409: "Conflict",
    410: "Expired",
    415: "UnsupportedMediaType",
    422: "Invalid",
    429: "TooManyRequests",
    500: "InternalError",
    503: "ServiceUnavailable",
    504: "Timeout",
  };
  return reasons[code] ?? "Unknown";
}
