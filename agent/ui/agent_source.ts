// The page's extras from a running agent: the scheduler's next runs, config documents,
// inventories with live health (a Kustomization's from its ConfigMap, a HelmRelease's from its
// Helm release), image scans, and every run's changes (for created/configured/pruned counts and
// drift corrections).
import type { AgentCore } from "../agent.ts";
import { checkHealth, type InventoryEntry } from "../../lib/kube/mod.ts";
import { objectKey, parseObjectKey } from "../status/mod.ts";
import { helmReleaseInventory } from "./helm_inventory.ts";
import type { ImageInfo, InventoryItem, InventoryView, StatusPageSource } from "./source.ts";
import {
  type RunOutcome,
  type StatusPageExtras,
  statusPageSourceFromStore,
} from "./store_source.ts";

/** Objects whose health is looked up per page view; beyond this the tree shows "Unknown". */
const HEALTH_LOOKUPS = 300;
/** Concurrent GETs for health, to keep a page view light on the API server. */
const HEALTH_CONCURRENCY = 8;
/** Tags listed for an image repository: the highest first, in natural order (1.10 after 1.9). */
const TAGS_SHOWN = 50;

/**
 * The status page's source for a running agent; `warnings` are the server's (what
 * `/api/v1/status` reports about the agent itself).
 */
export function statusPageSourceFromAgent(
  core: AgentCore,
  options: { warnings?: () => string[] } = {},
): StatusPageSource & { close(): void } {
  return statusPageSourceFromStore(core.statuses, {
    ...extrasFromAgent(core),
    warnings: options.warnings,
  });
}

/** Live health is looked up again at most this often per object (pages and streams). */
const INVENTORY_TTL_MS = 2_000;

export function extrasFromAgent(core: AgentCore): StatusPageExtras {
  const objectOf = (key: string) => core.owned().get(key);
  const recent = new Map<string, { at: number; items: Promise<InventoryView | undefined> }>();
  const inventory = (key: string) => {
    const cached = recent.get(key);
    if (cached && Date.now() - cached.at < INVENTORY_TTL_MS) return cached.items;
    const items = inventoryOf(core, key);
    recent.set(key, { at: Date.now(), items });
    // A failed read is not kept: the next view tries again.
    items.catch(() => recent.delete(key));
    return items;
  };
  return {
    nextRun: (key) => core.scheduler.nextRun(key),
    configDocument: (key) => objectOf(key)?.origin.document,
    sourceOf: (key) => {
      const obj = objectOf(key);
      return obj && core.reconcilerOf(obj)?.source?.(obj as never);
    },
    inventory,
    images: (key) => imagesOf(core, key),
    onOutcome: (listener) => core.onOutcome((key, outcome) => listener(key, outcome as RunOutcome)),
    redact: (text) => core.logger.secrets.redact(text),
  };
}

async function inventoryOf(core: AgentCore, key: string): Promise<InventoryView | undefined> {
  const { kind, namespace, name } = parseObjectKey(key);
  if (kind === "Kustomization") {
    const stored = await core.inventories.load(namespace, name);
    return { items: await withHealth(core, stored?.inventory.entries() ?? []) };
  }
  const obj = core.owned().get(key);
  if (obj?.kind === "HelmRelease") {
    const { entries, note } = await helmReleaseInventory(core.client, obj.spec);
    return { items: await withHealth(core, entries), note };
  }
  return undefined;
}

async function withHealth(core: AgentCore, entries: InventoryEntry[]): Promise<InventoryItem[]> {
  const items: InventoryItem[] = new Array(entries.length);
  let next = 0;
  const worker = async () => {
    while (next < entries.length) {
      const i = next++;
      items[i] = await itemOf(core, entries[i], i < HEALTH_LOOKUPS);
    }
  };
  await Promise.all(Array.from({ length: HEALTH_CONCURRENCY }, worker));
  return items;
}

async function itemOf(
  core: AgentCore,
  e: InventoryEntry,
  lookUp: boolean,
): Promise<InventoryItem> {
  const apiVersion = e.group ? `${e.group}/${e.version}` : e.version;
  const base = { apiVersion, kind: e.kind, namespace: e.namespace, name: e.name };
  if (!lookUp) return { ...base, health: "Unknown", healthMessage: "not looked up" };
  try {
    const live = await core.client.getIfExists(
      apiVersion,
      e.kind,
      e.name,
      e.namespace || undefined,
    );
    const health = checkHealth(live);
    return { ...base, health: health.status, healthMessage: health.message };
  } catch (err) {
    return {
      ...base,
      health: "Unknown",
      healthMessage: err instanceof Error ? err.message : String(err),
    };
  }
}

function imagesOf(core: AgentCore, key: string): ImageInfo | undefined {
  const obj = core.owned().get(key);
  if (obj?.kind === "ImagePolicy") {
    const ref = obj.spec.imageRepositoryRef;
    const repoKey = objectKey("ImageRepository", ref.namespace ?? obj.metadata.namespace, ref.name);
    return withTags(core.env.images.repository(repoKey)?.tags ?? [], core.env.images.latest(key));
  }
  if (obj?.kind === "ImageRepository") {
    return withTags(core.env.images.repository(key)?.tags ?? [], undefined);
  }
  return undefined;
}

function withTags(tags: string[], latestImage: string | undefined): ImageInfo {
  const sorted = [...tags].sort((a, b) => b.localeCompare(a, "en", { numeric: true }));
  return { latestImage, tags: sorted.slice(0, TAGS_SHOWN), tagCount: tags.length };
}
