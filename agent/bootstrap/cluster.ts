// Step 4 of bootstrap: check the user may install skiff, create the Git credentials Secret (in
// the cluster only), apply skiff's manifests through the apply engine as the agent itself will
// (same field manager, same owner labels, so the agent adopts them without conflicts), wait for
// the Deployment, then for the agent's first reconcile of `<path>`.
import {
  ApplyEngine,
  ApplyError,
  describeId,
  idOf,
  KubeApiError,
  type KubeClient,
  type KubeObject,
  waitForReady,
} from "../../lib/kube/mod.ts";
import type { SecretData } from "../../lib/git/mod.ts";
import { InventoryStore } from "../inventory/mod.ts";
import { AgentNotReadyError, PermissionError } from "./errors.ts";
import { CREDENTIALS_SECRET, SYNC_NAME } from "./manifests.ts";

/** What bootstrap needs to be allowed to do: [verb, group, resource, namespaced]. */
const REQUIRED: Array<[string, string, string, boolean]> = [
  ["create", "", "namespaces", false],
  ["create", "rbac.authorization.k8s.io", "clusterroles", false],
  ["create", "rbac.authorization.k8s.io", "clusterrolebindings", false],
  ["create", "rbac.authorization.k8s.io", "roles", true],
  ["create", "rbac.authorization.k8s.io", "rolebindings", true],
  ["create", "", "serviceaccounts", true],
  ["create", "", "secrets", true],
  ["create", "", "configmaps", true],
  ["create", "", "services", true],
  ["create", "apps", "deployments", true],
];

/**
 * Asks the API server (SelfSubjectAccessReview, like `kubectl auth can-i`) whether the current
 * user may create everything bootstrap installs; throws PermissionError listing what is missing.
 * Runs before anything is pushed to Git, so a wrong context changes nothing.
 */
export async function checkPermissions(client: KubeClient, namespace: string): Promise<void> {
  const missing: string[] = [];
  for (const [verb, group, resource, namespaced] of REQUIRED) {
    const review = await client.create({
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      metadata: {},
      spec: {
        resourceAttributes: {
          verb,
          group,
          resource,
          ...(namespaced ? { namespace } : {}),
        },
      },
    });
    const allowed = (review.status as { allowed?: boolean } | undefined)?.allowed === true;
    if (!allowed) {
      const shown = group ? `${resource}.${group}` : resource;
      missing.push(`${verb} ${shown}${namespaced ? ` in namespace ${namespace}` : ""}`);
    }
  }
  if (missing.length > 0) throw new PermissionError(missing);
}

export interface InstallOptions {
  namespace: string;
  /** The rendered `<path>/skiff-system` (Namespace, RBAC, Deployment, ConfigMap...). */
  objects: KubeObject[];
  /** The labels the agent's Kustomization for `<path>` puts on what it applies. */
  ownerLabels: Record<string, string>;
  /** Git credentials for the Secret; undefined for a public repository. */
  credentials?: SecretData;
  /** How long to wait for the Deployment to be ready. */
  timeoutMs: number;
}

export interface InstallResult {
  /** "created Deployment skiff-system/skiff", ... */
  changes: string[];
}

export async function install(client: KubeClient, options: InstallOptions): Promise<InstallResult> {
  const engine = new ApplyEngine(client);
  const ownerLabels = options.ownerLabels;
  const changes: string[] = [];
  await forbiddenAsPermission(async () => {
    // The namespace first: the Secret must exist before the agent starts, and lives in it.
    const namespaces = options.objects.filter((o) => o.kind === "Namespace");
    const first = await engine.applySet(namespaces, undefined, { ownerLabels });
    if (options.credentials) await applyCredentials(client, options.namespace, options.credentials);
    const all = await engine.applySet(options.objects, undefined, { ownerLabels });
    for (const change of [...first.changes, ...all.changes]) {
      if (change.action !== "unchanged" && change.action !== "skipped") {
        changes.push(`${change.action} ${describeId(change.id)}`);
      }
    }
  });
  const deployments = options.objects.filter((o) => o.kind === "Deployment").map(idOf);
  const health = await waitForReady(client, deployments, { timeoutMs: options.timeoutMs });
  if (!health.ready) {
    throw new AgentNotReadyError(
      options.namespace,
      `the agent's Deployment is not ready after ${Math.round(options.timeoutMs / 1000)} s: ` +
        health.summary,
    );
  }
  return { changes };
}

/** The Secret the GitRepository's secretRef names. Applied, so a re-run rotates the token. */
async function applyCredentials(
  client: KubeClient,
  namespace: string,
  credentials: SecretData,
): Promise<void> {
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(credentials)) {
    data[key] = btoa(String.fromCharCode(...new TextEncoder().encode(value)));
  }
  await client.apply({
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: CREDENTIALS_SECRET,
      namespace,
      labels: { "app.kubernetes.io/name": "skiff", "app.kubernetes.io/managed-by": "skiff" },
    },
    type: "Opaque",
    data,
  }, { fieldManager: "skiff-bootstrap", force: true });
}

/**
 * Waits until the agent has applied `revision` of `<path>`: the agent records each successful
 * apply in its inventory ConfigMap, the status it keeps in the cluster.
 */
export async function waitForFirstReconcile(
  client: KubeClient,
  namespace: string,
  revision: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = "";
  while (Date.now() < deadline) {
    // A fresh store each time: a store remembers what it loaded, and we want the cluster's news.
    const state = await new InventoryStore(client, namespace).load(namespace, SYNC_NAME);
    seen = state?.revision ?? "";
    if (seen === revision) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new AgentNotReadyError(
    namespace,
    `the agent has not reported applying ${revision} within ${Math.round(timeoutMs / 1000)} s` +
      (seen ? ` (last applied: ${seen})` : " (no reconcile reported yet)"),
  );
}

/** A 403 while applying becomes the same message as a failed permission check. */
async function forbiddenAsPermission(step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (e) {
    if (e instanceof KubeApiError && e.isForbidden) throw new PermissionError([e.message]);
    if (e instanceof ApplyError) {
      const forbidden = e.failures.filter((f) =>
        f.error instanceof KubeApiError && f.error.isForbidden
      );
      if (forbidden.length > 0) {
        throw new PermissionError(forbidden.map((f) => `${describeId(f.id)}: ${f.reason}`));
      }
    }
    throw e;
  }
}
