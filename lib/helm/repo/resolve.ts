// Resolving `name@constraint` in an HTTP(S) Helm repository: the index is fetched (revalidated
// by ETag, scanned for the chart only), a version chosen as Helm does, and the archive
// downloaded and checked against the index digest.
import { ByteLimitError, readBounded } from "../../bytes/mod.ts";
import { RepoError } from "./errors.ts";
import { RepoCache } from "./cache.ts";
import { type ChartVersion, scanIndex } from "./index_scan.ts";
import { selectVersion } from "./select.ts";

export interface RepoAuth {
  username?: string;
  password?: string;
  /** PEM certificates to trust in addition to the system roots. */
  caCerts?: string[];
  /** Send credentials to chart URLs on other hosts too (Helm's --pass-credentials). */
  passCredentials?: boolean;
}

export interface ResolveOptions {
  cache?: RepoCache;
  /** Largest chart archive accepted, in bytes (default 100 MiB). */
  maxChartBytes?: number;
  fetch?: typeof fetch;
}

export interface ResolvedChart {
  name: string;
  version: string;
  /** The archive URL it was downloaded from. */
  url: string;
  digest?: string;
  /** The .tgz bytes, digest-checked. */
  archive: Uint8Array;
  entry: ChartVersion;
}

const defaultCache = new RepoCache();

function indexUrl(repoUrl: string): string {
  return `${repoUrl.replace(/\/+$/, "")}/index.yaml`;
}

function headersFor(url: string, repoUrl: string, auth: RepoAuth | undefined): Headers {
  const h = new Headers({ "User-Agent": "skiff (Helm repository client)" });
  if (auth?.username !== undefined || auth?.password !== undefined) {
    const sameHost = new URL(url).host === new URL(repoUrl).host;
    if (sameHost || auth.passCredentials) {
      h.set("Authorization", `Basic ${btoa(`${auth.username ?? ""}:${auth.password ?? ""}`)}`);
    }
  }
  return h;
}

function clientFor(auth: RepoAuth | undefined): Deno.HttpClient | undefined {
  return auth?.caCerts && auth.caCerts.length > 0
    ? Deno.createHttpClient({ caCerts: auth.caCerts })
    : undefined;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function readLimited(
  repo: string,
  body: ReadableStream<Uint8Array>,
  max: number,
  what: string,
) {
  try {
    return await readBounded(body, max);
  } catch (e) {
    if (e instanceof ByteLimitError) {
      throw new RepoError(repo, `${what} is larger than ${max} bytes`);
    }
    throw e;
  }
}

/** The versions of `name` listed by the repository (from cache when the ETag still matches). */
export async function chartVersions(
  repoUrl: string,
  name: string,
  auth?: RepoAuth,
  options: ResolveOptions = {},
): Promise<ChartVersion[]> {
  const cache = options.cache ?? defaultCache;
  const doFetch = options.fetch ?? fetch;
  const url = indexUrl(repoUrl);
  const cached = await cache.getIndex(url);
  const headers = headersFor(url, repoUrl, auth);
  const known = cached && cached.names.includes(name);
  if (known && cached.etag) headers.set("If-None-Match", cached.etag);
  const client = clientFor(auth);
  let res: Response;
  try {
    res = await doFetch(url, { headers, client } as RequestInit);
  } catch (e) {
    client?.close();
    throw new RepoError(repoUrl, `cannot fetch index.yaml: ${(e as Error).message}`, e);
  }
  try {
    if (res.status === 304 && known) {
      await res.body?.cancel();
      return cached.entries[name] ?? [];
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new RepoError(
        repoUrl,
        `fetching index.yaml: ${res.status} ${res.statusText} (check the credentials)`,
      );
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw new RepoError(repoUrl, `fetching index.yaml: HTTP ${res.status} ${res.statusText}`);
    }
    // Scan for every chart already remembered for this repository, so the cache stays whole.
    const names = new Set([...(cached?.names ?? []), name]);
    const scanned = await scanIndex(repoUrl, res.body, names);
    const entries: Record<string, ChartVersion[]> = {};
    for (const n of names) entries[n] = scanned.entries.get(n) ?? [];
    await cache.putIndex(url, {
      etag: res.headers.get("ETag") ?? undefined,
      names: [...names],
      entries,
    });
    return entries[name];
  } finally {
    client?.close();
  }
}

/**
 * Finds `name` matching `constraint` ("" = latest release) in a Helm repository and downloads
 * its archive, verifying the index digest.
 */
export async function resolveChart(
  repoUrl: string,
  name: string,
  constraint: string,
  auth?: RepoAuth,
  options: ResolveOptions = {},
): Promise<ResolvedChart> {
  const versions = await chartVersions(repoUrl, name, auth, options);
  if (versions.length === 0) {
    throw new RepoError(repoUrl, `chart "${name}" not found in the repository index`);
  }
  let entry: ChartVersion | undefined;
  try {
    entry = selectVersion(versions, constraint);
  } catch (e) {
    throw new RepoError(
      repoUrl,
      `invalid version constraint "${constraint}": ${(e as Error).message}`,
      e,
    );
  }
  if (!entry) {
    throw new RepoError(
      repoUrl,
      `no chart version found for ${name}-${constraint} (available: ${
        versions.slice(0, 5).map((v) => v.version).join(", ")
      }${versions.length > 5 ? ", ..." : ""})`,
    );
  }
  if (entry.urls.length === 0) {
    throw new RepoError(repoUrl, `chart ${name}-${entry.version} has no download URL`);
  }
  const url = new URL(entry.urls[0], `${repoUrl.replace(/\/+$/, "")}/`).href;
  const cache = options.cache ?? defaultCache;
  const digest = entry.digest?.replace(/^sha256:/, "").toLowerCase();
  if (digest) {
    const hit = await cache.getChart(digest);
    if (hit) return { name, version: entry.version, url, digest, archive: hit, entry };
  }
  const client = clientFor(auth);
  let archive: Uint8Array;
  try {
    const res = await (options.fetch ?? fetch)(
      url,
      { headers: headersFor(url, repoUrl, auth), client } as RequestInit,
    );
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw new RepoError(repoUrl, `downloading ${url}: HTTP ${res.status} ${res.statusText}`);
    }
    archive = await readLimited(repoUrl, res.body, options.maxChartBytes ?? 100 * 1024 * 1024, url);
  } catch (e) {
    if (e instanceof RepoError) throw e;
    throw new RepoError(repoUrl, `downloading ${url}: ${(e as Error).message}`, e);
  } finally {
    client?.close();
  }
  if (digest) {
    const got = await sha256Hex(archive);
    if (got !== digest) {
      throw new RepoError(
        repoUrl,
        `chart ${name}-${entry.version}: digest mismatch: index says sha256:${digest}, download is sha256:${got}`,
      );
    }
    await cache.putChart(digest, archive);
  }
  return { name, version: entry.version, url, digest, archive, entry };
}
