// The cluster side of the API fault scenarios: an emulator, an admin client with fast retries, a
// fleet of N ConfigMaps to apply, and the checks every scenario ends with (exactly-once writes,
// nothing lost, inventory complete).
import assert from "node:assert/strict";
import { type ApiServerOptions, startApiServer } from "../apiserver/mod.ts";
import {
  ApplyEngine,
  ApplyError,
  type ApplySetOptions,
  type ChangeSet,
  Inventory,
  KubeClient,
  type KubeClientOptions,
  type KubeObject,
  loadKubeConfig,
} from "../../lib/kube/mod.ts";

export type ApiServer = Awaited<ReturnType<typeof startApiServer>>;

export const NAMESPACE = "fleet";

export const OWNER: ApplySetOptions = {
  ownerLabels: {
    "kustomize.toolkit.fluxcd.io/name": "fleet",
    "kustomize.toolkit.fluxcd.io/namespace": "flux-system",
  },
  targetNamespace: NAMESPACE,
  prune: true,
};

/** The namespace and `n` ConfigMaps, as a render would hand them over. */
export function fleet(n: number, version = "1"): KubeObject[] {
  const objects: KubeObject[] = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE } },
  ];
  for (let i = 0; i < n; i++) {
    objects.push({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: `cm-${String(i).padStart(4, "0")}` },
      data: { index: String(i), version },
    });
  }
  return objects;
}

/** Fast retries so the suite stays quick; Retry-After is honoured up to 2 s. */
export const CLIENT_OPTIONS: KubeClientOptions = {
  retry: { baseDelayMs: 5, maxDelayMs: 50, maxRetryAfterMs: 2_000 },
};

export async function clientFor(
  server: { kubeconfigPath: string },
  options: KubeClientOptions = {},
): Promise<KubeClient> {
  const config = await loadKubeConfig({ kubeconfig: server.kubeconfigPath, env: {} });
  return new KubeClient(config, { ...CLIENT_OPTIONS, ...options });
}

export async function withEmulator(
  options: ApiServerOptions,
  clientOptions: KubeClientOptions,
  body: (server: ApiServer, engine: ApplyEngine) => Promise<void>,
): Promise<void> {
  const server = await startApiServer(options);
  const client = await clientFor(server, clientOptions);
  try {
    await body(server, new ApplyEngine(client));
  } finally {
    client.transport.close();
    await server.stop();
  }
}

export interface Convergence {
  changes: ChangeSet;
  /** applySet calls it took (a reconcile is retried like the agent retries it). */
  attempts: number;
  /** Objects that failed in the attempts before the last. */
  failures: number;
}

/**
 * Applies like a reconcile loop: a failed attempt is retried (up to `maxAttempts`), keeping the
 * inventory a failed prune hands back, until an attempt succeeds.
 */
export async function converge(
  engine: ApplyEngine,
  objects: KubeObject[],
  previous: Inventory | undefined,
  maxAttempts = 20,
): Promise<Convergence> {
  let failures = 0;
  let inventory = previous;
  for (let attempt = 1;; attempt++) {
    try {
      return {
        changes: await engine.applySet(objects, inventory, OWNER),
        attempts: attempt,
        failures,
      };
    } catch (e) {
      if (attempt >= maxAttempts) throw e;
      if (e instanceof ApplyError) {
        failures += e.failures.length;
        if (e.inventory) inventory = e.inventory;
      } else if (!isTransient(e)) throw e;
    }
  }
}

function isTransient(e: unknown): boolean {
  const name = (e as Error)?.name ?? "";
  return ["KubeApiError", "KubeConnectionError", "KubeTimeoutError"].includes(name);
}

/** Objects of `objects` missing from the cluster (what "objects lost" counts). */
export function missing(server: ApiServer, objects: KubeObject[]): string[] {
  return objects.filter((o) => {
    const ns = o.kind === "Namespace" ? undefined : NAMESPACE;
    return !server.store.get(o.apiVersion, o.kind, o.metadata.name!, ns);
  }).map((o) => `${o.kind}/${o.metadata.name}`);
}

/** The checks every fault scenario ends with; returns the number of objects lost. */
export function assertConverged(
  server: ApiServer,
  objects: KubeObject[],
  result: Convergence,
  writesDuringApply: number,
): number {
  const lost = missing(server, objects);
  assert.deepEqual(lost, [], "every object in Git is in the cluster");
  assert.equal(result.changes.inventory.size, objects.length, "the inventory is complete");
  // Each object was created by exactly one successful write: no retry created or wrote twice.
  assert.equal(writesDuringApply, objects.length, "exactly one write per object");
  return lost.length;
}

/** Faults the emulator actually injected (fired rules). */
export function faultsFired(server: ApiServer): number {
  return server.faults.list().reduce((n, f) => n + f.fired, 0);
}
