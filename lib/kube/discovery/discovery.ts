// Discovery and the kind→resource mapping. Aggregated discovery (two requests for the whole
// cluster) is used when the server offers it, else the legacy per-group-version endpoints.
// The result is cached; an unknown kind triggers one refresh before it is reported, so a CRD
// applied a moment ago is found.
import { KubeApiError, UnknownKindError } from "../errors.ts";
import type { Transport } from "../client/transport.ts";
import { formatApiVersion, parseApiVersion } from "../types.ts";

/** One served resource of one group-version. */
export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  /** Plural resource name in URLs: "deployments". */
  resource: string;
  namespaced: boolean;
  verbs: string[];
}

const AGGREGATED_ACCEPT = [
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
  "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList",
  "application/json",
].join(",");

interface AggregatedResource {
  resource: string;
  responseKind?: { group?: string; version?: string; kind?: string };
  scope?: "Namespaced" | "Cluster";
  verbs?: string[];
}

interface AggregatedList {
  kind?: string;
  items?: {
    metadata?: { name?: string };
    versions?: { version: string; resources?: AggregatedResource[] }[];
  }[];
  groups?: LegacyGroup[];
  versions?: string[];
}

interface LegacyGroup {
  name: string;
  versions: { groupVersion: string; version: string }[];
}

interface LegacyResourceList {
  resources: { name: string; namespaced: boolean; kind: string; verbs: string[] }[];
}

export interface DiscoveryOptions {
  /** A refresh for an unknown kind happens at most this often (default 2 s). */
  minRefreshIntervalMs?: number;
  /** Ask for aggregated discovery (default true); false uses the legacy endpoints only. */
  aggregated?: boolean;
  clock?: () => number;
}

export class Discovery {
  readonly #transport: Transport;
  readonly #minRefreshMs: number;
  readonly #clock: () => number;
  readonly #accept: string;
  /** "group/version" → kind → resource */
  #byGroupVersion = new Map<string, Map<string, ResourceInfo>>();
  #loaded?: Promise<void>;
  #loadedAt = -Infinity;
  /** Whether the server answered aggregated discovery (for tests and diagnostics). */
  aggregated = false;

  constructor(transport: Transport, options: DiscoveryOptions = {}) {
    this.#transport = transport;
    this.#minRefreshMs = options.minRefreshIntervalMs ?? 2_000;
    this.#clock = options.clock ?? Date.now;
    this.#accept = options.aggregated === false ? "application/json" : AGGREGATED_ACCEPT;
  }

  /** Forgets the cache; the next lookup discovers again (call after applying CRDs). */
  invalidate(): void {
    this.#loaded = undefined;
  }

  /** Maps apiVersion+kind to its resource; refreshes once if unknown, then throws UnknownKindError. */
  async resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const found = await this.#lookup(apiVersion, kind);
    if (found) return found;
    if (this.#clock() - this.#loadedAt >= this.#minRefreshMs) {
      this.invalidate();
      const again = await this.#lookup(apiVersion, kind);
      if (again) return again;
    }
    const { group, version } = parseApiVersion(apiVersion);
    throw new UnknownKindError(group, version, kind, this.#servedVersions(group, kind));
  }

  /** Every resource the server serves, for listing and diagnostics. */
  async resources(): Promise<ResourceInfo[]> {
    await this.#ensure();
    return [...this.#byGroupVersion.values()].flatMap((m) => [...m.values()]);
  }

  async #lookup(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    await this.#ensure();
    const { group, version } = parseApiVersion(apiVersion);
    return this.#byGroupVersion.get(formatApiVersion({ group, version }))?.get(kind);
  }

  #servedVersions(group: string, kind: string): string[] {
    const versions: string[] = [];
    for (const [gv, kinds] of this.#byGroupVersion) {
      const parsed = parseApiVersion(gv);
      if (parsed.group === group && kinds.has(kind)) versions.push(parsed.version);
    }
    return versions;
  }

  #ensure(): Promise<void> {
    if (!this.#loaded) {
      const loading = this.#load().then(() => {
        this.#loadedAt = this.#clock();
      });
      // A failed discovery is not cached: the next lookup tries again.
      loading.catch(() => {
        if (this.#loaded === loading) this.#loaded = undefined;
      });
      this.#loaded = loading;
    }
    return this.#loaded;
  }

  async #load(): Promise<void> {
    const table = new Map<string, Map<string, ResourceInfo>>();
    const [core, groups] = await Promise.all([
      this.#get("/api"),
      this.#get("/apis"),
    ]);
    const coreAggregated = isAggregated(core);
    const groupsAggregated = isAggregated(groups);
    this.aggregated = coreAggregated && groupsAggregated;
    if (coreAggregated) addAggregated(table, core);
    else {await this.#addLegacy(
        table,
        (core.versions ?? []).map((v) => ({ group: "", version: v })),
      );}
    if (groupsAggregated) addAggregated(table, groups);
    else {
      const gvs = (groups.groups ?? []).flatMap((g) =>
        g.versions.map((v) => ({ group: g.name, version: v.version }))
      );
      await this.#addLegacy(table, gvs);
    }
    this.#byGroupVersion = table;
  }

  async #addLegacy(
    table: Map<string, Map<string, ResourceInfo>>,
    gvs: { group: string; version: string }[],
  ): Promise<void> {
    await Promise.all(gvs.map(async ({ group, version }) => {
      const path = group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
      let list: LegacyResourceList;
      try {
        list = await this.#transport.json<LegacyResourceList>({ method: "GET", path });
      } catch (e) {
        // An aggregated API server that is down must not hide every other group.
        if (e instanceof KubeApiError && e.code >= 500) return;
        throw e;
      }
      const kinds = new Map<string, ResourceInfo>();
      for (const r of list.resources ?? []) {
        if (r.name.includes("/")) continue; // subresources
        kinds.set(r.kind, {
          group,
          version,
          kind: r.kind,
          resource: r.name,
          namespaced: r.namespaced,
          verbs: r.verbs ?? [],
        });
      }
      table.set(formatApiVersion({ group, version }), kinds);
    }));
  }

  #get(path: string): Promise<AggregatedList> {
    return this.#transport.json<AggregatedList>({ method: "GET", path, accept: this.#accept });
  }
}

function isAggregated(list: AggregatedList): boolean {
  return list.kind === "APIGroupDiscoveryList" && Array.isArray(list.items);
}

function addAggregated(table: Map<string, Map<string, ResourceInfo>>, list: AggregatedList): void {
  for (const item of list.items ?? []) {
    const group = item.metadata?.name ?? "";
    for (const v of item.versions ?? []) {
      const kinds = new Map<string, ResourceInfo>();
      for (const r of v.resources ?? []) {
        const kind = r.responseKind?.kind;
        if (!kind) continue;
        kinds.set(kind, {
          group,
          version: v.version,
          kind,
          resource: r.resource,
          namespaced: r.scope === "Namespaced",
          verbs: r.verbs ?? [],
        });
      }
      table.set(formatApiVersion({ group, version: v.version }), kinds);
    }
  }
}
