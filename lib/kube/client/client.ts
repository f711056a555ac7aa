// KubeClient: the verbs of the Kubernetes API over Transport, addressing objects by apiVersion
// and kind (mapped to resources through discovery), with dry-run, field managers, patch types,
// server-side apply, delete options, pagination and resumable watches.
import type { ClusterConfig, Impersonation } from "../config/mod.ts";
import { Discovery, type DiscoveryOptions, type ResourceInfo } from "../discovery/mod.ts";
import { type ApiStatus, KubeApiError } from "../errors.ts";
import type { KubeList, KubeObject } from "../types.ts";
import { resourcePath, withQuery } from "./paths.ts";
import { type KubeRequest, Transport, type TransportOptions } from "./transport.ts";
import { readWatchEvents, type WatchEvent } from "./watch.ts";

export type PatchType = "json" | "merge" | "strategic" | "apply";

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: "application/json-patch+json",
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
};

export interface WriteOptions {
  /** Validate and compute the result without persisting it (`dryRun=All`). */
  dryRun?: boolean;
  fieldManager?: string;
  /** `fieldValidation`: Strict rejects unknown fields, Warn (server default) only warns. */
  fieldValidation?: "Ignore" | "Warn" | "Strict";
}

export interface ApplyOptions extends WriteOptions {
  fieldManager: string;
  /** Take ownership of fields another manager owns instead of failing with a conflict. */
  force?: boolean;
}

export interface DeleteOptions {
  dryRun?: boolean;
  propagationPolicy?: "Orphan" | "Background" | "Foreground";
  gracePeriodSeconds?: number;
  /** Delete only if the object still has this uid / resourceVersion. */
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; list() follows `continue` tokens until the end. */
  limit?: number;
  resourceVersion?: string;
}

export interface WatchOptions extends Omit<ListOptions, "limit"> {
  /** Start after this version; without it the watch lists first and yields RESYNC. */
  resourceVersion?: string;
  signal?: AbortSignal;
  /** Server-side timeout of each watch request; the watch reconnects after it. */
  timeoutSeconds?: number;
}

export interface KubeClientOptions extends TransportOptions {
  discovery?: DiscoveryOptions;
}

export class KubeClient {
  readonly transport: Transport;
  readonly discovery: Discovery;
  readonly config: ClusterConfig;
  readonly #impersonate?: Impersonation;

  constructor(
    config: ClusterConfig,
    options: KubeClientOptions = {},
    shared?: { transport: Transport; discovery: Discovery; impersonate?: Impersonation },
  ) {
    this.config = config;
    this.transport = shared?.transport ?? new Transport(config, options);
    this.discovery = shared?.discovery ?? new Discovery(this.transport, options.discovery);
    this.#impersonate = shared?.impersonate ?? config.impersonate;
  }

  /** The namespace of the kubeconfig context or service account. */
  get defaultNamespace(): string {
    return this.config.namespace;
  }

  /** A client acting as another user (Impersonate-* headers), sharing connections and discovery. */
  impersonating(impersonate: Impersonation): KubeClient {
    return new KubeClient(this.config, {}, {
      transport: this.transport,
      discovery: this.discovery,
      impersonate,
    });
  }

  get impersonation(): Impersonation | undefined {
    return this.#impersonate;
  }

  /** GET a path (e.g. "/version") and parse its JSON. */
  raw<T>(path: string, request: Partial<KubeRequest> = {}): Promise<T> {
    return this.transport.json<T>({ method: "GET", path, ...this.#auth(), ...request });
  }

  resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo> {
    return this.discovery.resourceFor(apiVersion, kind);
  }

  async get<T extends KubeObject = KubeObject>(
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
  ): Promise<T> {
    const info = await this.resourceFor(apiVersion, kind);
    return await this.#json<T>(info, "get", namespace, name, { method: "GET" });
  }

  /** Like get(), but resolves to undefined when the object does not exist. */
  async getIfExists<T extends KubeObject = KubeObject>(
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
  ): Promise<T | undefined> {
    try {
      return await this.get<T>(apiVersion, kind, name, namespace);
    } catch (e) {
      if (e instanceof KubeApiError && e.isNotFound) return undefined;
      throw e;
    }
  }

  /** Lists every page; `metadata.resourceVersion` of the result is the list's version. */
  async list<T extends KubeObject = KubeObject>(
    apiVersion: string,
    kind: string,
    options: ListOptions = {},
  ): Promise<KubeList<T>> {
    const info = await this.resourceFor(apiVersion, kind);
    const items: T[] = [];
    let cont: string | undefined;
    let last: KubeList<T>;
    do {
      const path = withQuery(resourcePath(info, options.namespace), {
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        limit: options.limit,
        continue: cont,
        resourceVersion: cont ? undefined : options.resourceVersion,
      });
      last = await this.transport.json<KubeList<T>>({
        method: "GET",
        path,
        context: this.#context(info, "list", options.namespace),
        ...this.#auth(),
      });
      // List items omit apiVersion/kind on the wire; put them back so items are whole objects.
      for (const item of last.items ?? []) {
        items.push({ ...item, apiVersion: item.apiVersion ?? apiVersion, kind: item.kind ?? kind });
      }
      cont = last.metadata?.continue || undefined;
    } while (cont);
    return { ...last, metadata: { resourceVersion: last.metadata?.resourceVersion }, items };
  }

  create<T extends KubeObject = KubeObject>(
    obj: KubeObject,
    options: WriteOptions = {},
  ): Promise<T> {
    return this.#write<T>(obj, "create", "POST", false, JSON.stringify(obj), undefined, options);
  }

  update<T extends KubeObject = KubeObject>(
    obj: KubeObject,
    options: WriteOptions = {},
  ): Promise<T> {
    return this.#write<T>(obj, "update", "PUT", true, JSON.stringify(obj), undefined, options);
  }

  async patch<T extends KubeObject = KubeObject>(
    target: { apiVersion: string; kind: string; name: string; namespace?: string },
    patch: unknown,
    type: PatchType,
    options: WriteOptions & { force?: boolean } = {},
  ): Promise<T> {
    const info = await this.resourceFor(target.apiVersion, target.kind);
    const path = withQuery(resourcePath(info, target.namespace, target.name), {
      dryRun: options.dryRun ? "All" : undefined,
      fieldManager: options.fieldManager,
      fieldValidation: options.fieldValidation,
      force: options.force,
    });
    return await this.transport.json<T>({
      method: "PATCH",
      path,
      body: JSON.stringify(patch),
      contentType: PATCH_CONTENT_TYPES[type],
      context: this.#context(info, "patch", target.namespace, target.name),
      ...this.#auth(),
    });
  }

  /** Server-side apply: the object is the caller's full intent for the fields it manages. */
  apply<T extends KubeObject = KubeObject>(obj: KubeObject, options: ApplyOptions): Promise<T> {
    const { metadata } = obj;
    return this.patch<T>(
      {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: metadata.name ?? "",
        namespace: metadata.namespace,
      },
      obj,
      "apply",
      options,
    );
  }

  /** Deletes; resolves to the object (when it lingers, e.g. finalizers) or the Status. */
  async delete(
    target: { apiVersion: string; kind: string; name: string; namespace?: string },
    options: DeleteOptions = {},
  ): Promise<KubeObject | ApiStatus> {
    const info = await this.resourceFor(target.apiVersion, target.kind);
    const body = {
      kind: "DeleteOptions",
      apiVersion: "v1",
      propagationPolicy: options.propagationPolicy,
      gracePeriodSeconds: options.gracePeriodSeconds,
      preconditions: options.preconditions,
      dryRun: options.dryRun ? ["All"] : undefined,
    };
    return await this.transport.json<KubeObject | ApiStatus>({
      method: "DELETE",
      path: withQuery(resourcePath(info, target.namespace, target.name), {
        dryRun: options.dryRun ? "All" : undefined,
      }),
      body: JSON.stringify(body),
      context: this.#context(info, "delete", target.namespace, target.name),
      ...this.#auth(),
    });
  }

  /**
   * Watches a resource. Without `resourceVersion` it lists first (yielding RESYNC), then
   * streams changes; a dropped connection resumes from the last version seen, and 410 Gone
   * (history compacted) relists and yields RESYNC again. Ends when `signal` aborts.
   */
  async *watch(
    apiVersion: string,
    kind: string,
    options: WatchOptions = {},
  ): AsyncGenerator<WatchEvent> {
    const info = await this.resourceFor(apiVersion, kind);
    let version = options.resourceVersion;
    const relist = async () => {
      const list = await this.list(apiVersion, kind, { ...options, resourceVersion: undefined });
      version = list.metadata.resourceVersion;
      return list.items;
    };
    if (version === undefined) yield { type: "RESYNC", objects: await relist() };
    while (!options.signal?.aborted) {
      let response: Response;
      try {
        response = await this.transport.request({
          method: "GET",
          path: withQuery(resourcePath(info, options.namespace), {
            watch: 1,
            allowWatchBookmarks: true,
            labelSelector: options.labelSelector,
            fieldSelector: options.fieldSelector,
            resourceVersion: version,
            timeoutSeconds: options.timeoutSeconds,
          }),
          stream: true,
          signal: options.signal,
          context: this.#context(info, "watch", options.namespace),
          ...this.#auth(),
        });
      } catch (e) {
        if (options.signal?.aborted) return;
        if (e instanceof KubeApiError && e.isGone) {
          yield { type: "RESYNC", objects: await relist() };
          continue;
        }
        throw e;
      }
      let gone = false;
      const opened = Date.now();
      try {
        for await (const event of readWatchEvents(response.body!)) {
          if (event.type === "ERROR") {
            const status = event.object as ApiStatus;
            if (status.code === 410 || status.reason === "Expired" || status.reason === "Gone") {
              gone = true;
              break;
            }
            throw new KubeApiError(status, {
              method: "GET",
              url: this.transport.server,
              verb: "watch",
            });
          }
          const object = event.object as KubeObject;
          version = object.metadata?.resourceVersion ?? version;
          if (event.type === "BOOKMARK") continue;
          yield {
            type: event.type,
            object: {
              ...object,
              apiVersion: object.apiVersion ?? apiVersion,
              kind: object.kind ?? kind,
            },
          };
        }
      } catch (e) {
        if (options.signal?.aborted) return;
        if (e instanceof KubeApiError) throw e;
        // The stream broke (server restart, proxy timeout): resume from `version`.
      }
      if (gone) yield { type: "RESYNC", objects: await relist() };
      // A server that closes streams at once must not be hammered in a tight loop.
      else if (Date.now() - opened < 200) await abortableSleep(200, options.signal);
    }
  }

  async #write<T extends KubeObject>(
    obj: KubeObject,
    verb: string,
    method: "POST" | "PUT",
    withName: boolean,
    body: string,
    contentType: string | undefined,
    options: WriteOptions,
  ): Promise<T> {
    const info = await this.resourceFor(obj.apiVersion, obj.kind);
    const ns = obj.metadata.namespace;
    const path = withQuery(resourcePath(info, ns, withName ? obj.metadata.name : undefined), {
      dryRun: options.dryRun ? "All" : undefined,
      fieldManager: options.fieldManager,
      fieldValidation: options.fieldValidation,
    });
    return await this.transport.json<T>({
      method,
      path,
      body,
      contentType,
      context: this.#context(info, verb, ns, obj.metadata.name),
      ...this.#auth(),
    });
  }

  async #json<T>(
    info: ResourceInfo,
    verb: string,
    namespace: string | undefined,
    name: string | undefined,
    req: Pick<KubeRequest, "method">,
  ): Promise<T> {
    return await this.transport.json<T>({
      ...req,
      path: resourcePath(info, namespace, name),
      context: this.#context(info, verb, namespace, name),
      ...this.#auth(),
    });
  }

  #context(info: ResourceInfo, verb: string, namespace?: string, name?: string) {
    return {
      verb,
      resource: info.resource,
      group: info.group,
      namespace: info.namespaced ? namespace : undefined,
      name,
    };
  }

  #auth(): { impersonate?: Impersonation } {
    return this.#impersonate ? { impersonate: this.#impersonate } : {};
  }
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
