// The coordination.k8s.io/v1 Lease as the elector and the presence record read and write it.
// Both write with the resourceVersion they read, so of two agents writing at once one loses
// with a 409 and learns that someone else holds or renewed the Lease.
import { KubeApiError, type KubeClient, type KubeObject } from "../../lib/kube/mod.ts";

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export type Lease = KubeObject & { spec?: LeaseSpec };

/** Where a Lease lives. */
export interface LeaseRef {
  namespace: string;
  name: string;
}

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
export function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** The Lease, or undefined while nobody has created it. */
export function readLease(client: KubeClient, ref: LeaseRef): Promise<Lease | undefined> {
  return client.getIfExists<Lease>("coordination.k8s.io/v1", "Lease", ref.name, ref.namespace);
}

/** A Lease object at `ref` holding `spec`, to create or to write over the one read. */
export function leaseObject(
  ref: LeaseRef,
  spec: LeaseSpec,
  labels?: Record<string, string>,
): Lease {
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name: ref.name, namespace: ref.namespace, ...(labels ? { labels } : {}) },
    spec,
  };
}

/**
 * Writes `next` over the Lease read at `resourceVersion`; undefined when another writer got in
 * between (409): they won this round.
 */
export async function replaceLease(
  client: KubeClient,
  next: Lease,
  resourceVersion: string | undefined,
): Promise<Lease | undefined> {
  next.metadata.resourceVersion = resourceVersion;
  try {
    return await client.update<Lease>(next);
  } catch (e) {
    if (e instanceof KubeApiError && e.isConflict) return undefined;
    throw e;
  }
}
