// A client for the OCI distribution API, for what image scanning needs: listing a repository's
// tags (following `Link` paging) and a tag's manifest digest. It authenticates the way Docker
// does: anonymous first, then on a 401 the challenge's scheme — Basic with the credentials, or
// Bearer with a token fetched from the challenge's realm (Docker Hub, GHCR, ACR, ECR, GAR, Quay).
import type { RegistryCredentials } from "./credentials.ts";
import { RegistryError } from "./errors.ts";
import { nextLink } from "./link_header.ts";
import { DOCKER_HUB, type ImageReference, parseImageRef } from "./reference.ts";
import { type Challenge, parseChallenge } from "./www_authenticate.ts";

export interface RegistryClientOptions {
  /** Talk plain HTTP (`spec.insecure`). */
  insecure?: boolean;
  /** Extra trusted CA certificates, PEM (`ca.crt` of `spec.certSecretRef`). */
  caCerts?: string[];
  /** A client certificate and key, PEM (`tls.crt`/`tls.key` of `spec.certSecretRef`). */
  clientCert?: { cert: string; key: string };
  /** Per operation (all pages of a listing together), default 60 s (`spec.timeout`). */
  timeoutMs?: number;
  /** Pages of a tag listing at most, default 1000: a registry that never ends its paging fails. */
  maxPages?: number;
  /** `n=` asked per page; registries may ignore it. Default: not sent. */
  pageSize?: number;
  /** Largest accepted response body, default 32 MiB. */
  maxBodyBytes?: number;
  userAgent?: string;
}

export interface TagList {
  /** `registry/repository`, as Flux reports `status.canonicalImageName`. */
  canonicalName: string;
  tags: string[];
  pages: number;
}

const MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

// The API host of Docker Hub; `index.docker.io` is its name in image references.
const DOCKER_HUB_API = "registry-1.docker.io";

export class RegistryClient {
  readonly #options:
    & Required<Omit<RegistryClientOptions, "caCerts" | "clientCert" | "pageSize">>
    & {
      pageSize?: number;
    };
  readonly #httpClient?: Deno.HttpClient;
  /** Authorization header per registry + repository, with its expiry. */
  readonly #authorizations = new Map<string, { header: string; expires: number }>();

  constructor(options: RegistryClientOptions = {}) {
    this.#options = {
      insecure: options.insecure ?? false,
      timeoutMs: options.timeoutMs ?? 60_000,
      maxPages: options.maxPages ?? 1000,
      pageSize: options.pageSize,
      maxBodyBytes: options.maxBodyBytes ?? 32 * 1024 * 1024,
      userAgent: options.userAgent ?? "skiff",
    };
    if ((options.caCerts && options.caCerts.length > 0) || options.clientCert) {
      this.#httpClient = Deno.createHttpClient({
        caCerts: options.caCerts,
        ...(options.clientCert ?? {}),
      });
    }
  }

  /** Releases the TLS client made for custom CAs. */
  close(): void {
    this.#httpClient?.close();
  }

  /** All tags of the image's repository, in the order the registry lists them. */
  async listTags(
    image: string | ImageReference,
    credentials?: RegistryCredentials,
  ): Promise<TagList> {
    const ref = typeof image === "string" ? parseImageRef(image) : image;
    const deadline = AbortSignal.timeout(this.#options.timeoutMs);
    const seen = new Set<string>();
    const tags = new Set<string>();
    const query = this.#options.pageSize ? `?n=${this.#options.pageSize}` : "";
    let url: string | undefined = `${this.#baseUrl(ref)}/v2/${ref.repository}/tags/list${query}`;
    let pages = 0;
    while (url !== undefined) {
      if (pages >= this.#options.maxPages || seen.has(url)) {
        throw new RegistryError(
          "TooManyPages",
          `${ref.canonicalName}: the registry's tag list did not end after ${pages} pages ` +
            (seen.has(url)
              ? "(it links back to a page already read)"
              : `(limit ${this.#options.maxPages})`),
          { url },
        );
      }
      seen.add(url);
      const res = await this.#request(ref, url, "GET", "application/json", credentials, deadline);
      const body = await this.#readJson(ref, res, url);
      pages++;
      const list = isRecord(body) ? body.tags : undefined;
      if (list !== null && list !== undefined && !isStringArray(list)) {
        throw new RegistryError(
          "InvalidResponse",
          `${ref.canonicalName}: tag list page ${pages} has no "tags" array of strings`,
          { url, status: res.status },
        );
      }
      for (const t of list ?? []) tags.add(t);
      url = nextLink(res.headers.get("link"), url);
    }
    return { canonicalName: ref.canonicalName, tags: [...tags], pages };
  }

  /** The digest of a tag's manifest (HEAD; GET and hash when the registry sends no digest). */
  async manifestDigest(
    image: string | ImageReference,
    credentials?: RegistryCredentials,
  ): Promise<string> {
    const ref = typeof image === "string" ? parseImageRef(image) : image;
    const reference = ref.digest ?? ref.tag ?? "latest";
    const deadline = AbortSignal.timeout(this.#options.timeoutMs);
    const url = `${this.#baseUrl(ref)}/v2/${ref.repository}/manifests/${reference}`;
    const head = await this.#request(ref, url, "HEAD", MANIFEST_TYPES, credentials, deadline);
    await head.body?.cancel();
    const digest = head.headers.get("docker-content-digest");
    if (digest) return digest;
    const res = await this.#request(ref, url, "GET", MANIFEST_TYPES, credentials, deadline);
    const bytes = await this.#readBody(ref, res, url);
    const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    return `sha256:${Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("")}`;
  }

  #baseUrl(ref: ImageReference): string {
    const host = ref.registry === DOCKER_HUB ? DOCKER_HUB_API : ref.registry;
    return `${this.#options.insecure ? "http" : "https"}://${host}`;
  }

  /** A request that answers a 401 challenge once, then fails with a RegistryError if not OK. */
  async #request(
    ref: ImageReference,
    url: string,
    method: "GET" | "HEAD",
    accept: string,
    credentials: RegistryCredentials | undefined,
    signal: AbortSignal,
  ): Promise<Response> {
    const key = `${ref.registry}/${ref.repository}`;
    const cached = this.#authorizations.get(key);
    let authorization = cached && cached.expires > Date.now() ? cached.header : undefined;
    let res = await this.#fetch(ref, url, method, accept, authorization, signal);
    if (res.status === 401) {
      const challenge = parseChallenge(res.headers.get("www-authenticate") ?? "");
      await res.body?.cancel();
      const granted = await this.#authorize(ref, challenge, credentials, signal);
      this.#authorizations.set(key, granted);
      authorization = granted.header;
      res = await this.#fetch(ref, url, method, accept, authorization, signal);
    }
    if (!res.ok) throw await this.#statusError(ref, res, url, credentials);
    return res;
  }

  async #fetch(
    ref: ImageReference,
    url: string,
    method: string,
    accept: string,
    authorization: string | undefined,
    signal: AbortSignal,
  ): Promise<Response> {
    const headers = new Headers({ accept, "user-agent": this.#options.userAgent });
    if (authorization) headers.set("authorization", authorization);
    try {
      return await fetch(url, { method, headers, signal, client: this.#httpClient });
    } catch (e) {
      throw this.#networkError(ref, url, e, signal);
    }
  }

  async #authorize(
    ref: ImageReference,
    challenge: Challenge | undefined,
    credentials: RegistryCredentials | undefined,
    signal: AbortSignal,
  ): Promise<{ header: string; expires: number }> {
    const forever = Number.MAX_SAFE_INTEGER;
    if (credentials?.registryToken) {
      return { header: `Bearer ${credentials.registryToken}`, expires: forever };
    }
    if (challenge?.scheme === "basic") {
      if (credentials?.username === undefined) {
        throw new RegistryError(
          "Unauthorized",
          `${ref.canonicalName}: the registry requires a user name and password ` +
            "(set spec.secretRef to a kubernetes.io/dockerconfigjson Secret)",
          { status: 401 },
        );
      }
      return {
        header: `Basic ${basic(credentials.username, credentials.password ?? "")}`,
        expires: forever,
      };
    }
    if (challenge?.scheme === "bearer" && challenge.params.realm) {
      return await this.#fetchToken(ref, challenge, credentials, signal);
    }
    throw new RegistryError(
      "Unauthorized",
      `${ref.canonicalName}: the registry answered 401 without a usable WWW-Authenticate challenge`,
      { status: 401 },
    );
  }

  /** The Docker token flow: GET realm?service=..&scope=.. (or POST an identity token). */
  async #fetchToken(
    ref: ImageReference,
    challenge: Challenge,
    credentials: RegistryCredentials | undefined,
    signal: AbortSignal,
  ): Promise<{ header: string; expires: number }> {
    const realm = new URL(challenge.params.realm);
    const service = challenge.params.service;
    const scope = challenge.params.scope ?? `repository:${ref.repository}:pull`;
    const headers = new Headers({ "user-agent": this.#options.userAgent });
    let init: RequestInit;
    if (credentials?.identityToken) {
      const form = new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: credentials.identityToken,
        client_id: "skiff",
        scope,
      });
      if (service) form.set("service", service);
      headers.set("content-type", "application/x-www-form-urlencoded");
      init = { method: "POST", headers, body: form.toString() };
    } else {
      if (service) realm.searchParams.set("service", service);
      realm.searchParams.set("scope", scope);
      if (credentials?.username !== undefined) {
        headers.set(
          "authorization",
          `Basic ${basic(credentials.username, credentials.password ?? "")}`,
        );
      }
      init = { method: "GET", headers };
    }
    let res: Response;
    try {
      res = await fetch(realm, { ...init, signal, client: this.#httpClient });
    } catch (e) {
      throw this.#networkError(ref, realm.toString(), e, signal);
    }
    if (!res.ok) {
      const detail = await errorDetail(res);
      throw new RegistryError(
        res.status === 401 || res.status === 403 ? "Unauthorized" : "UnexpectedStatus",
        `${ref.canonicalName}: the token service ${realm.origin}${realm.pathname} refused a token ` +
          `(${res.status}${detail})` +
          (credentials ? "" : "; no credentials were given (spec.secretRef)"),
        { status: res.status, url: realm.toString() },
      );
    }
    const body = await this.#readJson(ref, res, realm.toString());
    const token = isRecord(body) ? body.token ?? body.access_token : undefined;
    if (typeof token !== "string" || token === "") {
      throw new RegistryError(
        "InvalidResponse",
        `${ref.canonicalName}: the token service's answer has no "token"`,
        { url: realm.toString() },
      );
    }
    const expiresIn = isRecord(body) && typeof body.expires_in === "number" ? body.expires_in : 60;
    // Renew a little early so a token does not expire between pages.
    return { header: `Bearer ${token}`, expires: Date.now() + Math.max(0, expiresIn - 5) * 1000 };
  }

  async #statusError(
    ref: ImageReference,
    res: Response,
    url: string,
    credentials: RegistryCredentials | undefined,
  ): Promise<RegistryError> {
    const detail = await errorDetail(res);
    const at = `${ref.canonicalName}`;
    const s = res.status;
    if (s === 401 || s === 403) {
      return new RegistryError(
        "Unauthorized",
        `${at}: access denied (${s}${detail})` +
          (credentials
            ? "; check the credentials in spec.secretRef"
            : "; no credentials were given (spec.secretRef)"),
        { status: s, url },
      );
    }
    if (s === 404) {
      return new RegistryError("NotFound", `${at}: repository or tag not found (404${detail})`, {
        status: s,
        url,
      });
    }
    if (s === 429) {
      const retryAfterSeconds = parseRetryAfter(res.headers.get("retry-after"));
      return new RegistryError(
        "RateLimited",
        `${at}: rate limited by the registry (429${detail})` +
          (retryAfterSeconds !== undefined ? `; retry after ${retryAfterSeconds}s` : ""),
        { status: s, url, retryAfterSeconds },
      );
    }
    if (s >= 500) {
      return new RegistryError("ServerError", `${at}: registry error (${s}${detail})`, {
        status: s,
        url,
      });
    }
    return new RegistryError("UnexpectedStatus", `${at}: unexpected status ${s}${detail}`, {
      status: s,
      url,
    });
  }

  #networkError(ref: ImageReference, url: string, e: unknown, signal: AbortSignal): RegistryError {
    if (signal.aborted) {
      return new RegistryError(
        "Timeout",
        `${ref.canonicalName}: no complete answer within ${
          this.#options.timeoutMs / 1000
        }s (spec.timeout)`,
        { url },
        e,
      );
    }
    const reason = e instanceof Error ? e.message : String(e);
    return new RegistryError(
      "Network",
      `${ref.canonicalName}: cannot reach ${new URL(url).host}: ${reason}`,
      { url },
      e,
    );
  }

  async #readBody(
    ref: ImageReference,
    res: Response,
    url: string,
  ): Promise<Uint8Array<ArrayBuffer>> {
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body ?? new ReadableStream<Uint8Array>()) {
        size += chunk.length;
        if (size > this.#options.maxBodyBytes) {
          await res.body?.cancel().catch(() => {});
          throw new RegistryError(
            "InvalidResponse",
            `${ref.canonicalName}: response larger than ${this.#options.maxBodyBytes} bytes`,
            { url, status: res.status },
          );
        }
        chunks.push(chunk);
      }
    } catch (e) {
      if (e instanceof RegistryError) throw e;
      throw new RegistryError(
        "Network",
        `${ref.canonicalName}: reading the response failed: ${e}`,
        { url },
        e,
      );
    }
    const out = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  async #readJson(ref: ImageReference, res: Response, url: string): Promise<unknown> {
    const text = new TextDecoder().decode(await this.#readBody(ref, res, url));
    try {
      return JSON.parse(text);
    } catch {
      throw new RegistryError(
        "InvalidResponse",
        `${ref.canonicalName}: the registry's answer is not JSON: ${
          JSON.stringify(text.slice(0, 80))
        }`,
        { url, status: res.status },
      );
    }
  }
}

/** Shorthand: one client, one listing. */
export async function listTags(
  image: string | ImageReference,
  credentials?: RegistryCredentials,
  options: RegistryClientOptions = {},
): Promise<TagList> {
  const client = new RegistryClient(options);
  try {
    return await client.listTags(image, credentials);
  } finally {
    client.close();
  }
}

function basic(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  return btoa(String.fromCharCode(...bytes));
}

/** `: CODE: message` from a distribution error body, or "" when there is none. */
async function errorDetail(res: Response): Promise<string> {
  let text: string;
  try {
    text = (await res.text()).slice(0, 4096);
  } catch {
    return "";
  }
  try {
    const body = JSON.parse(text);
    const first = isRecord(body) && Array.isArray(body.errors) ? body.errors[0] : undefined;
    if (isRecord(first)) return `: ${first.code ?? ""}${first.message ? `: ${first.message}` : ""}`;
  } catch {
    // not JSON
  }
  return "";
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === "string");
}
