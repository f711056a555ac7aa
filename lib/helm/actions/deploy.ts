// Putting a release's manifest in the cluster: objects marked as Helm's, applied with
// server-side apply, objects of the previous revision that left the chart deleted (unless
// `helm.sh/resource-policy: keep`), then an optional wait for all of them to be ready.
import { type ChangeSet, Inventory, waitForReady } from "../../kube/mod.ts";
import type { ActionEnv } from "./env.ts";
import { isKept, manifestObjects, markOwnership, withNamespaces } from "./manifest_objects.ts";

export interface DeployOptions {
  release: string;
  namespace: string;
  manifest: string;
  /** The manifest of the revision being replaced: what it holds and this one does not goes. */
  previousManifest?: string;
  /** Labels added to every object (helm-controller's origin labels). */
  labels?: Record<string, string>;
  force?: boolean;
  wait: boolean;
  waitForJobs: boolean;
  timeoutMs: number;
  dryRun?: boolean;
  /** Attach a unified diff to each created/configured change (for `skiff diff`). */
  diff?: boolean;
  /** Runs after the apply, before the wait (rollback's recreate-pods). */
  beforeWait?: (changes: ChangeSet) => Promise<void>;
}

export interface DeployResult {
  changes: ChangeSet;
  /** Set when waiting: what was still not ready at the deadline. */
  notReady?: string;
}

export async function deployManifest(env: ActionEnv, o: DeployOptions): Promise<DeployResult> {
  const objects = markOwnership(
    manifestObjects(o.manifest, `release ${o.release}`),
    o.release,
    o.namespace,
    o.labels,
  );
  let previous: Inventory | undefined;
  if (o.previousManifest) {
    const old = await withNamespaces(
      env.client,
      manifestObjects(o.previousManifest, `release ${o.release} (previous)`),
      o.namespace,
    );
    previous = Inventory.fromObjects(old.filter((x) => !isKept(x)));
  }
  const changes = await env.engine.applySet(objects, previous, {
    targetNamespace: o.namespace,
    prune: previous !== undefined,
    allowEmptyPrune: true,
    force: o.force,
    dryRun: o.dryRun,
    diff: o.diff,
    ownerLabels: { "app.kubernetes.io/managed-by": "Helm" },
  });
  if (!o.dryRun) await o.beforeWait?.(changes);
  if (!o.wait || o.dryRun) return { changes };
  const ids = changes.applied.filter((id) => o.waitForJobs || id.kind !== "Job");
  const health = await waitForReady(env.client, ids, { timeoutMs: o.timeoutMs });
  return { changes, notReady: health.ready ? undefined : health.summary };
}
