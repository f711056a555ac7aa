// How the client authenticates and what it trusts: the resolved form of a kubeconfig context
// or of the in-cluster service account, independent of where it came from.

/** What one request presents to the API server. */
export interface Credential {
  /** The full Authorization header value ("Bearer ...", "Basic ..."). */
  authorization?: string;
  /** A client certificate and key in PEM (from the kubeconfig or an exec plugin). */
  certPem?: string;
  keyPem?: string;
}

/** Yields the current credential; may run a plugin or re-read a file to do so. */
export interface CredentialSource {
  get(): Promise<Credential>;
  /** The server answered 401: drop cached credentials so the next get() fetches fresh ones. */
  invalidate(): void;
}

export interface TlsSettings {
  /** Extra roots to trust, PEM. */
  caPem?: string;
  insecureSkipVerify?: boolean;
  /** Name to verify the server certificate against, instead of the URL's host. */
  serverName?: string;
}

export interface Impersonation {
  user: string;
  groups?: string[];
  uid?: string;
}

/** Everything needed to talk to one cluster as one user. */
export interface ClusterConfig {
  /** Base URL of the API server, without a trailing slash. */
  server: string;
  /** The namespace of the context (or the service account), "default" when none. */
  namespace: string;
  tls: TlsSettings;
  proxyUrl?: string;
  credentials: CredentialSource;
  impersonate?: Impersonation;
  /** Where this came from, for messages: "kubeconfig /root/.kube/config, context kind". */
  source: string;
  contextName?: string;
}

/** A credential that never changes. */
export function staticCredentials(credential: Credential): CredentialSource {
  return { get: () => Promise.resolve(credential), invalidate() {} };
}

export function bearer(token: string): string {
  return `Bearer ${token.trim()}`;
}

export function basic(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}
