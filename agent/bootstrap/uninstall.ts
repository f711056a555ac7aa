// `skiff uninstall`: remove what bootstrap installed. The agent is stopped first (its Deployment
// deleted) so it cannot re-apply anything; with `prune`, the objects in its inventories go too,
// else they stay in place, unmanaged. The namespace is deleted last, unless it holds workloads
// that are to be kept. Git is not touched: `<path>/skiff-system` stays for a later bootstrap.
import {
  ApplyEngine,
  describeId,
  describeRef,
  Inventory,
  type InventoryEntry,
  KubeApiError,
  type KubeClient,
  type ObjectId,
} from "../../lib/kube/mod.ts";
import { parseAll } from "../../lib/yaml/mod.ts";
import { INVENTORY_LABELS } from "../inventory/mod.ts";
import { DEPLOY_FILES, readDeployManifests } from "./deploy_files.ts";
import { CONFIG_MAP, CREDENTIALS_SECRET } from "./manifests.ts";

export interface UninstallOptions {
  namespace: string;
  /** Also delete every object the agent applied (its inventories). */
  prune: boolean;
  /** How long to wait for the agent's Deployment to go away. */
  timeoutMs: number;
  progress?: (line: string) => void;
}

export interface UninstallResult {
  /** skiff's own objects deleted ("Deployment skiff-system/skiff", ...). */
  deleted: string[];
  /** Workloads deleted because of `prune`. */
  pruned: string[];
  /** Workloads left in place (without `prune`). */
  kept: string[];
  /** Whether the namespace was deleted. */
  namespaceDeleted: boolean;
}

export async function uninstall(
  client: KubeClient,
  options: UninstallOptions,
): Promise<UninstallResult> {
  const say = options.progress ?? (() => {});
  const ns = options.namespace;
  const own = await ownObjects(ns);
  const ownKeys = new Set(own.map(describeId));
  const result: UninstallResult = { deleted: [], pruned: [], kept: [], namespaceDeleted: false };

  // Stop the agent first, or it would re-create what is deleted next.
  const deployment = own.find((id) => id.kind === "Deployment")!;
  if (await remove(client, deployment)) {
    result.deleted.push(describeId(deployment));
    say(`deleted ${describeId(deployment)}; waiting for the agent to stop`);
    await waitGone(client, deployment, options.timeoutMs);
  }

  const inventories = await client.list("v1", "ConfigMap", {
    namespace: ns,
    labelSelector: Object.entries(INVENTORY_LABELS).map(([k, v]) => `${k}=${v}`).join(","),
  });
  let workloadsInNamespace = false;
  for (const cm of inventories.items) {
    const owner = (cm.metadata.annotations ?? {})["skiff.dev/kustomization"] ?? "";
    const [ownerNamespace, ownerName] = owner.split("/");
    const entries = decodeEntries((cm.data as Record<string, string> | undefined)?.inventory)
      .filter((e) => !ownKeys.has(describeId(idOfEntry(e))) && !isNamespace(e, ns));
    if (options.prune && ownerName) {
      say(`pruning ${entries.length} object(s) applied by Kustomization ${owner}`);
      const changes = await new ApplyEngine(client).prune(entries, {
        ownerLabels: {
          "kustomize.toolkit.fluxcd.io/name": ownerName,
          "kustomize.toolkit.fluxcd.io/namespace": ownerNamespace,
        },
      });
      for (const c of changes) if (c.action === "deleted") result.pruned.push(describeId(c.id));
    } else {
      result.kept.push(...entries.map(describeRef));
      if (entries.some((e) => e.namespace === ns)) workloadsInNamespace = true;
    }
    const id = { apiVersion: "v1", kind: "ConfigMap", name: cm.metadata.name!, namespace: ns };
    if (await remove(client, id)) result.deleted.push(describeId(id));
  }

  for (const id of own) {
    if (id.kind === "Deployment" || id.kind === "Namespace") continue;
    if (await remove(client, id)) result.deleted.push(describeId(id));
  }
  if (workloadsInNamespace) {
    say(`kept namespace ${ns}: it holds workloads that stay (run with --prune to delete them)`);
  } else {
    const namespace = own.find((id) => id.kind === "Namespace")!;
    if (await remove(client, namespace)) result.deleted.push(describeId(namespace));
    result.namespaceDeleted = true;
  }
  for (const line of result.deleted) say(`deleted ${line}`);
  return result;
}

/**
 * What bootstrap installs in `namespace`: deploy/'s objects, the config ConfigMap, the
 * credentials Secret and the leader-election Lease (all named the same in every install).
 */
async function ownObjects(namespace: string): Promise<ObjectId[]> {
  const deploy = await readDeployManifests();
  const ids: ObjectId[] = [];
  for (const file of DEPLOY_FILES) {
    for (const doc of parseAll(deploy[file], { file: `deploy/${file}` })) {
      const o = doc as {
        apiVersion: string;
        kind: string;
        metadata: { name: string; namespace?: string };
      };
      const name = o.kind === "Namespace" ? namespace : o.metadata.name;
      ids.push({
        apiVersion: o.apiVersion,
        kind: o.kind,
        name,
        ...(o.metadata.namespace !== undefined ? { namespace } : {}),
      });
    }
  }
  ids.push(
    { apiVersion: "v1", kind: "ConfigMap", name: CONFIG_MAP, namespace },
    { apiVersion: "v1", kind: "Secret", name: CREDENTIALS_SECRET, namespace },
    { apiVersion: "coordination.k8s.io/v1", kind: "Lease", name: "skiff", namespace },
  );
  return ids;
}

/** Deletes; false when it was already gone. */
async function remove(client: KubeClient, id: ObjectId): Promise<boolean> {
  try {
    await client.delete(id, { propagationPolicy: "Background" });
    return true;
  } catch (e) {
    if (e instanceof KubeApiError && e.isNotFound) return false;
    throw e;
  }
}

async function waitGone(client: KubeClient, id: ObjectId, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!await client.getIfExists(id.apiVersion, id.kind, id.name, id.namespace)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function decodeEntries(text: string | undefined): InventoryEntry[] {
  try {
    const parsed: unknown = JSON.parse(text ?? "[]");
    return Array.isArray(parsed) ? Inventory.decode(parsed).entries() : [];
  } catch {
    return [];
  }
}

function idOfEntry(e: InventoryEntry): ObjectId {
  return {
    apiVersion: e.group ? `${e.group}/${e.version}` : e.version,
    kind: e.kind,
    name: e.name,
    ...(e.namespace ? { namespace: e.namespace } : {}),
  };
}

function isNamespace(e: InventoryEntry, namespace: string): boolean {
  return e.kind === "Namespace" && e.group === "" && e.name === namespace;
}
