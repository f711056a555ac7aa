// What a repository client remembers between fetches: per index URL the ETag and the entries
// of the charts read so far, and chart archives by digest. In memory, optionally mirrored to a
// directory so an agent restart does not refetch.
import type { ChartVersion } from "./index_scan.ts";

export interface CachedIndex {
  etag?: string;
  /** The chart names the entries were scanned for. */
  names: string[];
  entries: Record<string, ChartVersion[]>;
}

export class RepoCache {
  readonly #indexes = new Map<string, CachedIndex>();
  readonly #charts = new Map<string, Uint8Array>();

  constructor(
    /** Directory for a persistent copy, or undefined for memory only. */
    readonly dir?: string,
    /** Chart archives kept in memory at most. */
    readonly maxCharts = 64,
  ) {}

  private async file(kind: string, key: string): Promise<string | undefined> {
    if (!this.dir) return undefined;
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    return `${this.dir}/${kind}-${hex}`;
  }

  async getIndex(url: string): Promise<CachedIndex | undefined> {
    const hit = this.#indexes.get(url);
    if (hit) return hit;
    const path = await this.file("index", url);
    if (!path) return undefined;
    try {
      const loaded = JSON.parse(await Deno.readTextFile(path)) as CachedIndex;
      this.#indexes.set(url, loaded);
      return loaded;
    } catch {
      return undefined;
    }
  }

  async putIndex(url: string, entry: CachedIndex): Promise<void> {
    this.#indexes.set(url, entry);
    const path = await this.file("index", url);
    if (path) {
      await Deno.mkdir(this.dir!, { recursive: true });
      await Deno.writeTextFile(path, JSON.stringify(entry));
    }
  }

  async getChart(digest: string): Promise<Uint8Array | undefined> {
    const hit = this.#charts.get(digest);
    if (hit) return hit;
    const path = await this.file("chart", digest);
    if (!path) return undefined;
    try {
      return await Deno.readFile(path);
    } catch {
      return undefined;
    }
  }

  async putChart(digest: string, bytes: Uint8Array): Promise<void> {
    if (this.#charts.size >= this.maxCharts) this.#charts.delete(this.#charts.keys().next().value!);
    this.#charts.set(digest, bytes);
    const path = await this.file("chart", digest);
    if (path) {
      await Deno.mkdir(this.dir!, { recursive: true });
      await Deno.writeFile(path, bytes);
    }
  }
}
