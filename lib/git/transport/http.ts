// The HTTP(S) transport on Deno's fetch: credentials as headers, a custom CA, a client
// certificate (mutual TLS) and a proxy through Deno.createHttpClient, a size cap on downloads and cancellation by AbortSignal.
// Credentials live only in memory, in the headers of the requests.
import type { GitHttpRequest, GitHttpResponse, HttpClient } from "./types.ts";
import { readBounded } from "../../bytes/mod.ts";
import { GitError } from "../errors.ts";

export interface HttpTransportOptions {
  /** Extra request headers (Authorization for basic or bearer auth). */
  headers?: Record<string, string>;
  /** PEM CA certificate(s) trusted in addition to the system roots. */
  caCert?: string;
  /** Client certificate and key (PEM), presented to servers that ask for one (mutual TLS). */
  clientCert?: { cert: string; key: string };
  /** HTTP(S) proxy, e.g. from `spec.proxySecretRef` (`address`, `username`, `password`). */
  proxy?: { url: string; username?: string; password?: string };
  signal?: AbortSignal;
  /** Stop a download after this many bytes (GitError TooLarge). */
  maxResponseBytes?: number;
}

export interface ClosableHttpClient extends HttpClient {
  /** Releases the Deno HTTP client (connection pool) when one was made. */
  close(): void;
}

/**
 * TLS alerts a server sends when it wants a client certificate it did not get or does not
 * accept: a credentials problem, not an unreachable server.
 */
const CLIENT_CERT_REFUSED =
  /received fatal alert: (CertificateRequired|BadCertificate|UnknownCA|CertificateUnknown|CertificateExpired|CertificateRevoked|AccessDenied)/;

export function httpTransport(options: HttpTransportOptions = {}): ClosableHttpClient {
  const client = options.caCert || options.proxy || options.clientCert
    ? createClient({
      ...(options.clientCert ?? {}),
      caCerts: options.caCert ? [options.caCert] : undefined,
      proxy: options.proxy
        ? {
          url: options.proxy.url,
          basicAuth: options.proxy.username !== undefined
            ? { username: options.proxy.username, password: options.proxy.password ?? "" }
            : undefined,
        }
        : undefined,
    })
    : undefined;
  return {
    async request(request: GitHttpRequest): Promise<GitHttpResponse> {
      const body = request.body ? await collect(request.body) : undefined;
      let response: Response;
      try {
        response = await fetch(request.url, {
          method: request.method ?? "GET",
          headers: { ...request.headers, ...options.headers },
          body,
          signal: options.signal,
          client,
        });
      } catch (error) {
        if (options.signal?.aborted) {
          throw new GitError("Timeout", "the request was cancelled", request.url, error);
        }
        const why = reason(error);
        if (CLIENT_CERT_REFUSED.test(why)) {
          throw new GitError(
            "AuthFailed",
            `the server refused the TLS client certificate (${why}); check tls.crt and ` +
              "tls.key in the secret of spec.secretRef",
            request.url,
            error,
          );
        }
        throw new GitError("Unreachable", `cannot reach the server: ${why}`, request.url, error);
      }
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => headers[name] = value);
      return {
        url: response.url || request.url,
        method: request.method,
        statusCode: response.status,
        statusMessage: response.statusText,
        headers,
        body: response.body
          ? capped(response.body, options.maxResponseBytes, request.url)
          : undefined,
      };
    },
    close() {
      client?.close();
    },
  };
}

/** The request body isomorphic-git hands over (ours to send, so no ceiling). */
function collect(
  body: AsyncIterableIterator<Uint8Array> | Iterable<Uint8Array>,
): Promise<Uint8Array<ArrayBuffer>> {
  return readBounded(body, Infinity);
}

/**
 * Deno.createHttpClient, with unreadable PEM (a truncated key, a certificate that does not
 * match its key) reported as a mistake in the Secret rather than an internal error.
 */
function createClient(
  options: Deno.CreateHttpClientOptions | (Deno.CreateHttpClientOptions & Deno.TlsCertifiedKeyPem),
): Deno.HttpClient {
  try {
    return Deno.createHttpClient(options);
  } catch (error) {
    const what = "cert" in options
      ? "the client certificate (tls.crt, tls.key) in the secret of spec.secretRef"
      : "the CA certificate (ca.crt) or the proxy (spec.proxySecretRef)";
    throw new GitError("InvalidSpec", `${what} cannot be used: ${reason(error)}`, undefined, error);
  }
}

/** The response body as an async iterator, failing once `limit` bytes have arrived. */
async function* capped(
  stream: ReadableStream<Uint8Array>,
  limit: number | undefined,
  url: string,
): AsyncIterableIterator<Uint8Array> {
  let total = 0;
  const reader = stream.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.length;
      if (limit !== undefined && total > limit) {
        throw new GitError(
          "TooLarge",
          `the download exceeds the size limit of ${limit} bytes`,
          url,
        );
      }
      yield value;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** The innermost message of a fetch failure ("dns error", "Connection refused", TLS...). */
function reason(error: unknown): string {
  let e = error;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  const message = e instanceof Error ? e.message : String(e);
  // Deno prefixes "error sending request for url (...)": the URL is already in the GitError.
  return message.replace(/^error sending request for url \([^)]*\): /, "");
}
