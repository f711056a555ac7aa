// A client for the OCI distribution API, for what image scanning needs: listing a repository's
// tags (following `Link` paging) and a tag's manifest digest. It authenticates the way Docker
// does: anonymous first, then on a 401 the challenge's scheme — Basic with the credentials, or
// Bearer with a token fetched from the challenge's realm (Docker Hub, GHCR, ACR, ECR, GAR, Quay).
import type { RegistryCredentials } from "./credentials.ts";
import { RegistryError } from "./errors.ts";
import { nextLink } from "./link_header.ts";
import { DOCKER_HUB, type ImageReference, parseImageRef } from "./reference.ts";
import { authorize, type AuthorizeContext } from "./authorize.ts";
import { createHash } from "node:crypto";
import { BlobStream } from "./blob_stream.ts";
import { isRecord, readBody, readJson, statusError } from "./responses.ts";
import { parseChallenge } from "./www_authenticate.ts";

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

export interface Manifest {
  /** `sha256:...` of the bytes as served. */
  digest: string;
  mediaType: string;
  bytes: Uint8Array<ArrayBuffer>;
  json: unknown;
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
    return await sha256Digest(await this.#readBody(ref, res, url));
  }

  /**
   * A manifest (or index) by tag or digest, with its digest verified when the reference names
   * one. For OCI artifacts such as Helm charts.
   */
  async manifest(
    image: string | ImageReference,
    credentials?: RegistryCredentials,
  ): Promise<Manifest> {
    const ref = typeof image === "string" ? parseImageRef(image) : image;
    const reference = ref.digest ?? ref.tag ?? "latest";
    const deadline = AbortSignal.timeout(this.#options.timeoutMs);
    const url = `${this.#baseUrl(ref)}/v2/${ref.repository}/manifests/${reference}`;
    const res = await this.#request(ref, url, "GET", MANIFEST_TYPES, credentials, deadline);
    const bytes = await this.#readBody(ref, res, url);
    const digest = await sha256Digest(bytes);
    if (ref.digest && ref.digest !== digest) {
      throw new RegistryError(
        "InvalidResponse",
        `${ref.canonicalName}: manifest content does not match ${ref.digest} (got ${digest})`,
        { url },
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      throw new RegistryError("InvalidResponse", `${ref.canonicalName}: manifest is not JSON`, {
        url,
      });
    }
    const mediaType =
      (isRecord(json) && typeof json.mediaType === "string" ? json.mediaType : undefined) ??
        res.headers.get("content-type") ?? "";
    return { digest, mediaType, bytes, json };
  }

  /** A blob of the image's repository, checked against its digest (sha256 only). */
  async blob(
    image: string | ImageReference,
    digest: string,
    credentials?: RegistryCredentials,
    maxBytes = this.#options.maxBodyBytes,
  ): Promise<Uint8Array<ArrayBuffer>> {
    const { ref, url, res } = await this.#getBlob(image, digest, credentials);
    const bytes = await readBody(ref.canonicalName, res, url, maxBytes);
    const actual = await sha256Digest(bytes);
    if (actual !== digest) {
      throw new RegistryError(
        "InvalidResponse",
        `${ref.canonicalName}: blob content does not match ${digest} (got ${actual})`,
        { url },
      );
    }
    return bytes;
  }

  /**
   * A blob as a stream, for layers too big to hold in memory: read `chunks()`, then `verify()`
   * before trusting anything built from them (the digest can only be checked at the end).
   */
  async blobStream(
    image: string | ImageReference,
    digest: string,
    credentials?: RegistryCredentials,
    maxBytes = this.#options.maxBodyBytes,
  ): Promise<BlobStream> {
    const { ref, url, res } = await this.#getBlob(image, digest, credentials);
    const body = res.body ?? ReadableStream.from<Uint8Array>([]);
    return new BlobStream(ref.canonicalName, digest, body, url, maxBytes);
  }

  async #getBlob(
    image: string | ImageReference,
    digest: string,
    credentials: RegistryCredentials | undefined,
  ): Promise<{ ref: ImageReference; url: string; res: Response }> {
    const ref = typeof image === "string" ? parseImageRef(image) : image;
    if (!digest.startsWith("sha256:")) {
      throw new RegistryError(
        "InvalidResponse",
        `${ref.canonicalName}: unsupported digest ${digest}`,
      );
    }
    const deadline = AbortSignal.timeout(this.#options.timeoutMs);
    const url = `${this.#baseUrl(ref)}/v2/${ref.repository}/blobs/${digest}`;
    const res = await this.#request(ref, url, "GET", "*/*", credentials, deadline);
    return { ref, url, res };
  }

  #baseUrl(ref: ImageReference): string {
    const host = ref.registry === DOCKER_HUB ? DOCKER_HUB_API : ref.registry;
    return `${this.#options.insecure ? "http" : "https"}://${host}`;
  }

  /**
   * Uploads a blob to the image's repository (skipped when the registry has it already) and
   * returns its digest. One monolithic upload: artifacts are small next to the body limit.
   */
  async pushBlob(
    image: string | ImageReference,
    bytes: Uint8Array<ArrayBuffer>,
    credentials?: RegistryCredentials,
  ): Promise<string> {
    const ref = typeof image === "string" ? parseImageRef(image) : image;
    const digest = await sha256Digest(bytes);
    const deadline = AbortSignal.timeout(this.#options.timeoutMs);
    const base = `${this.#baseUrl(ref)}/v2/${ref.repository}`;
    try {
      const head = await this.#request(
        ref,
        `${base}/blobs/${digest}`,
        "HEAD",
        "*/*",
        credentials,
        deadline,
      );
      await head.body?.cancel();
      return digest;
    } catch (e) {
      if (!(e instanceof RegistryError && e.reason === "NotFound")) throw e;
    }
    const start = await this.#request(
      ref,
      `${base}/blobs/uploads/`,
      "POST",
      "*/*",
      credentials,
      deadline,
    );
    await start.body?.cancel();
    const location = start.headers.get("location");
    if (!location) {
      throw new RegistryError(
        "InvalidResponse",
        `${ref.canonicalName}: the registry started an upload without a Location`,
        { url: `${base}/blobs/uploads/`, status: start.status },
      );
    }
    const target = new URL(location, base);
    target.searchParams.set("digest", digest);
    const put = await this.#request(ref, target.toString(), "PUT", "*/*", credentials, deadline, {
      bytes,
      type: "application/octet-stream",
    });
    await put.body?.cancel();
    return digest;
  }

  /** Puts a manifest under `reference` (a tag) and returns the manifest's digest. */
  async pushManifest(
    image: string | ImageReference,
    reference: string,
    manifest: { bytes: Uint8Array<ArrayBuffer>; mediaType: string },
    credentials?: RegistryCredentials,
  ): Promise<string> {
    const ref = typeof image === "string" ? parseImageRef(image) : image;
    const deadline = AbortSignal.timeout(this.#options.timeoutMs);
    const url = `${this.#baseUrl(ref)}/v2/${ref.repository}/manifests/${reference}`;
    const res = await this.#request(ref, url, "PUT", "*/*", credentials, deadline, {
      bytes: manifest.bytes,
      type: manifest.mediaType,
    });
    await res.body?.cancel();
    return await sha256Digest(manifest.bytes);
  }

  /** A request that answers a 401 challenge once, then fails with a RegistryError if not OK. */
  async #request(
    ref: ImageReference,
    url: string,
    method: "GET" | "HEAD" | "POST" | "PUT",
    accept: string,
    credentials: RegistryCredentials | undefined,
    signal: AbortSignal,
    body?: { bytes: Uint8Array<ArrayBuffer>; type: string },
  ): Promise<Response> {
    const key = `${ref.registry}/${ref.repository}`;
    const cached = this.#authorizations.get(key);
    const headers = new Headers({ accept, "user-agent": this.#options.userAgent });
    if (body) headers.set("content-type", body.type);
    if (cached && cached.expires > Date.now()) headers.set("authorization", cached.header);
    let res = await this.#send(ref, signal, url, { method, headers, body: body?.bytes });
    if (res.status === 401) {
      const challenge = parseChallenge(res.headers.get("www-authenticate") ?? "");
      await res.body?.cancel();
      const grant = await authorize(this.#authorizeContext(ref, signal), challenge, credentials);
      this.#authorizations.set(key, grant);
      headers.set("authorization", grant.header);
      res = await this.#send(ref, signal, url, { method, headers, body: body?.bytes });
    }
    if (!res.ok) throw await statusError(ref.canonicalName, res, url, credentials !== undefined);
    return res;
  }

  #authorizeContext(ref: ImageReference, signal: AbortSignal): AuthorizeContext {
    return {
      what: ref.canonicalName,
      repository: ref.repository,
      userAgent: this.#options.userAgent,
      send: (url, init) => this.#send(ref, signal, url, init),
      readJson: (res, url) => this.#readJson(ref, res, url),
    };
  }

  /** fetch through the client's TLS settings; network failures become RegistryErrors. */
  async #send(
    ref: ImageReference,
    signal: AbortSignal,
    url: string,
    init: RequestInit,
  ): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal, client: this.#httpClient });
    } catch (e) {
      if (signal.aborted) {
        throw new RegistryError(
          "Timeout",
          `${ref.canonicalName}: no complete answer within ${
            this.#options.timeoutMs / 1000
          }s (spec.timeout)`,
          { url },
          e,
        );
      }
      // Deno's fetch says only "fetch failed"; why (refused, DNS, TLS) is in its cause.
      let inner = e;
      while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
      const reason = (inner instanceof Error ? inner.message : String(inner))
        .replace(/^error sending request for url \([^)]*\): /, "");
      throw new RegistryError(
        "Network",
        `${ref.canonicalName}: cannot reach ${new URL(url).host}: ${reason}`,
        {
          url,
        },
        e,
      );
    }
  }

  #readBody(ref: ImageReference, res: Response, url: string): Promise<Uint8Array<ArrayBuffer>> {
    return readBody(ref.canonicalName, res, url, this.#options.maxBodyBytes);
  }

  #readJson(ref: ImageReference, res: Response, url: string): Promise<unknown> {
    return readJson(ref.canonicalName, res, url, this.#options.maxBodyBytes);
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

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === "string");
}

// node:crypto hashes the bytes where they are; Web Crypto's digest copies its input first,
// which for a large layer is one more copy of it in memory.
function sha256Digest(bytes: Uint8Array): Promise<string> {
  return Promise.resolve(`sha256:${createHash("sha256").update(bytes).digest("hex")}`);
}
