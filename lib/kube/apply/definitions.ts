// Cluster definitions between stages: a CRD must be Established and a namespace Active before
// anything of theirs is applied, and a dry run must not fail on what this same apply creates.
import type { KubeClient } from "../client/mod.ts";
import { KubeApiError, UnknownKindError } from "../errors.ts";
import { waitForReady } from "../health/mod.ts";
import { describeId, idOf, type KubeObject } from "../types.ts";
import { ApplyError, type Change } from "./changeset.ts";
import type { ObjectPlan } from "./object_apply.ts";

/** Waits for new CRDs to be Established and namespaces Active; then rediscovers kinds. */
export async function settleDefinitions(
  client: KubeClient,
  objects: KubeObject[],
  changes: Change[],
  timeoutMs: number,
): Promise<void> {
  const written = changes.filter((c) => c.action === "created" || c.action === "configured");
  const touched = new Set(written.map((c) => describeId(c.id)));
  const toWait = objects
    .filter((o) => o.kind === "CustomResourceDefinition" || o.kind === "Namespace")
    .map(idOf)
    .filter((id) => touched.has(describeId(id)));
  if (toWait.length === 0) return;
  const report = await waitForReady(client, toWait, { timeoutMs });
  if (!report.ready) {
    throw new ApplyError(
      report.notReady.map((o) => ({
        id: o.id,
        reason: `not ready: ${o.status}: ${o.message}`,
        error: undefined,
      })),
      changes,
    );
  }
  if (toWait.some((id) => id.kind === "CustomResourceDefinition")) client.discovery.invalidate();
}

/**
 * In a dry run, a custom resource whose CRD (or an object whose namespace) is only created by
 * this same set cannot be dry-run yet; it is reported as to be created instead of failing.
 */
export function pendingDefinition(
  e: unknown,
  desired: KubeObject,
  earlier: Change[],
): ObjectPlan | undefined {
  const created = earlier.filter((c) => c.action === "created");
  const id = idOf(desired);
  if (
    e instanceof UnknownKindError && created.some((c) => c.id.kind === "CustomResourceDefinition")
  ) {
    return {
      id,
      desired,
      write: "none",
      change: { id, action: "created", reason: "its CRD is created by this apply" },
    };
  }
  if (
    e instanceof KubeApiError && e.isNotFound &&
    created.some((c) => c.id.kind === "Namespace" && c.id.name === desired.metadata.namespace)
  ) {
    return {
      id,
      desired,
      write: "none",
      change: { id, action: "created", reason: "its namespace is created by this apply" },
    };
  }
  return undefined;
}
