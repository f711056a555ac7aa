// A small fleet in a real StatusStore, and the extras a running agent would give, driven by
// the test: a source, a failing Kustomization, one waiting for it, and an image policy.
import { objectKey, StatusStore } from "../../../agent/status/mod.ts";
import {
  type InventoryItem,
  type RunOutcome,
  type StatusPageExtras,
  statusPageSourceFromStore,
} from "../../../agent/ui/mod.ts";

export const GIT = objectKey("GitRepository", "flux-system", "fleet");
export const INFRA = objectKey("Kustomization", "flux-system", "infra");
export const APPS = objectKey("Kustomization", "flux-system", "apps");
export const POLICY = objectKey("ImagePolicy", "flux-system", "web");
export const REVISION = "main@sha1:0123456789abcdef0123456789abcdef01234567";

export interface Fleet {
  store: StatusStore;
  source: ReturnType<typeof statusPageSourceFromStore>;
  /** Reports a run the way the agent does: the store records, then outcome listeners hear it. */
  run(key: string, outcome: RunOutcome & { reason?: string; message?: string }): void;
  documents: Map<string, Record<string, unknown>>;
  inventory: InventoryItem[];
}

export function fleet(): Fleet {
  const store = new StatusStore();
  const outcomeListeners = new Set<(key: string, o: RunOutcome) => void>();
  const documents = new Map<string, Record<string, unknown>>();
  const inventory: InventoryItem[] = [
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      namespace: "web",
      name: "frontend",
      health: "Current",
      healthMessage: "Deployment is available",
    },
    {
      apiVersion: "v1",
      kind: "Service",
      namespace: "web",
      name: "frontend",
      health: "Current",
      healthMessage: "",
    },
    {
      apiVersion: "v1",
      kind: "Namespace",
      namespace: "",
      name: "web",
      health: "Current",
      healthMessage: "",
    },
  ];
  documents.set(GIT, {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "GitRepository",
    metadata: { name: "fleet", namespace: "flux-system" },
    spec: { url: "https://bot:hunter2-very-secret@git.example.com/fleet.git", interval: "1m" },
  });
  documents.set(APPS, {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { name: "apps", namespace: "flux-system" },
    spec: {
      path: "./apps",
      postBuild: { substitute: { cluster: "prod", db_password: "s3cr3t-pw" } },
    },
  });
  const extras: StatusPageExtras = {
    nextRun: () => Date.parse("2030-01-01T00:00:00Z"),
    configDocument: (key) => documents.get(key),
    sourceOf: (key) => key.startsWith("Kustomization/") ? GIT : undefined,
    inventory: (key) => Promise.resolve(key === APPS ? inventory : undefined),
    images: (key) =>
      key === POLICY
        ? { latestImage: "registry.local/web:1.10.0", tags: ["1.10.0", "1.9.0"], tagCount: 2 }
        : undefined,
    onOutcome: (l) => {
      outcomeListeners.add(l);
      return () => outcomeListeners.delete(l);
    },
    redact: (text) => text.replaceAll("registry-known-secret", "***"),
  };
  store.ensure(GIT, { suspended: false });
  store.ensure(INFRA, { suspended: false });
  store.ensure(APPS, { suspended: false, dependsOn: [INFRA] });
  store.ensure(POLICY, { suspended: true });
  const source = statusPageSourceFromStore(store, extras);
  const run: Fleet["run"] = (key, o) => {
    store.record(key, {
      ready: o.ready as "True" | "False" | "Unknown",
      reason: o.reason ?? (o.ready === "True" ? "ReconciliationSucceeded" : "BuildFailed"),
      message: o.message ?? `Applied revision: ${o.revision}`,
      revision: o.revision,
      applied: (o.changes ?? []).some((c) => c.action !== "unchanged"),
      durationMs: 42,
    });
    for (const l of outcomeListeners) l(key, o);
  };
  run(GIT, { ready: "True", revision: REVISION, message: `stored artifact for ${REVISION}` });
  run(INFRA, {
    ready: "False",
    reason: "BuildFailed",
    message: "kustomize build failed: ./infra: no such directory <script>",
  });
  run(APPS, {
    ready: "False",
    reason: "DependencyNotReady",
    message: "dependency 'flux-system/infra' is not ready",
  });
  return { store, source, run, documents, inventory };
}
