// One place that turns a URL and its credentials into a transport: an HttpClient and the URL
// to request (SSH remotes get a placeholder URL, see transport/ssh.ts).
import type { HttpClient } from "./transport/types.ts";
import { httpAuth, proxyConfig, type SecretData, sshAuth } from "./auth.ts";
import { type ClosableHttpClient, httpTransport } from "./transport/http.ts";
import { SSH_PLACEHOLDER_URL, sshTransport } from "./transport/ssh.ts";
import type { RemoteUrl } from "./url.ts";

export interface Remote {
  http: HttpClient;
  /** The URL the protocol code requests. */
  url: string;
  close(): void;
}

export function openRemote(
  remote: Exclude<RemoteUrl, { kind: "file" }>,
  secret: SecretData | undefined,
  proxySecret: SecretData | undefined,
  options: { signal?: AbortSignal; maxBytes?: number },
): Remote {
  let client: ClosableHttpClient;
  let url: string;
  if (remote.kind === "ssh") {
    client = sshTransport(remote, sshAuth(secret, remote.url), {
      signal: options.signal,
      maxResponseBytes: options.maxBytes,
    });
    url = SSH_PLACEHOLDER_URL;
  } else {
    // user:password in the URL becomes basic auth, so it never lands in the cache's config.
    const parsed = new URL(remote.url);
    const inUrl = parsed.username
      ? {
        username: decodeURIComponent(parsed.username),
        password: decodeURIComponent(parsed.password),
      }
      : undefined;
    parsed.username = "";
    parsed.password = "";
    const auth = httpAuth(secret ?? inUrl, remote.url);
    client = httpTransport({
      headers: auth.headers,
      caCert: auth.caCert,
      clientCert: auth.clientCert,
      proxy: proxyConfig(proxySecret, remote.url),
      signal: options.signal,
      maxResponseBytes: options.maxBytes,
    });
    url = parsed.toString();
  }
  return { http: client, url, close: () => client.close() };
}
