// skiff's Kubernetes library: a fetch-based client (kubeconfig, in-cluster, exec plugins,
// discovery, verbs, watch) and the engine that applies a rendered set of objects the way
// Flux's kustomize-controller does (staged server-side apply, diff, prune, inventory, health).
//
// Typical use:
//   const client = new KubeClient(await loadKubeConfig({ context: "prod" }));
//   const engine = new ApplyEngine(client);
//   const changes = await engine.applySet(objects, Inventory.decode(status.inventory), {
//     ownerLabels: { "kustomize.toolkit.fluxcd.io/name": "apps", ... }, prune: true });
//   const health = await waitForReady(client, changes.applied, { timeoutMs: 300_000 });

/** Object shapes and references. */
export {
  describeId,
  describeObject,
  describeRef,
  formatApiVersion,
  type GroupVersion,
  type GroupVersionKind,
  idOf,
  isKubeObject,
  type KubeList,
  type KubeObject,
  type ManagedFieldsEntry,
  type ObjectId,
  type ObjectMeta,
  type ObjectRef,
  parseApiVersion,
  refOf,
} from "./types.ts";

/** Typed errors: API Status, connection, timeout, unknown kind, config, exec plugin. */
export {
  type ApiStatus,
  ExecCredentialError,
  KubeApiError,
  KubeConfigError,
  KubeConnectionError,
  KubeTimeoutError,
  type RequestContext,
  type StatusCause,
  UnknownKindError,
} from "./errors.ts";

/**
 * `loadKubeConfig(options)`: resolves --kubeconfig / KUBECONFIG (merged like kubectl) /
 * ~/.kube/config / in-cluster into a ClusterConfig.
 */
export {
  type ClusterConfig,
  type Credential,
  type CredentialSource,
  type ExecConfig,
  execCredentials,
  type Impersonation,
  type InClusterOptions,
  loadInClusterConfig,
  loadKubeConfig,
  type LoadKubeConfigOptions,
  staticCredentials,
  type TlsSettings,
  tokenFileCredentials,
} from "./config/mod.ts";

/** `KubeClient`: get, list, watch, create, update, patch, apply, delete; impersonation. */
export {
  type ApplyOptions,
  DEFAULT_RETRY,
  type DeleteOptions,
  KubeClient,
  type KubeClientOptions,
  type ListOptions,
  type PatchType,
  type RetryPolicy,
  Transport,
  type TransportStats,
  type WatchEvent,
  type WatchOptions,
  type WriteOptions,
} from "./client/mod.ts";
export { Discovery, type ResourceInfo } from "./discovery/mod.ts";

/** `ApplyEngine.applySet(objects, inventory, options): Promise<ChangeSet>`, prune, Inventory. */
export {
  ApplyEngine,
  ApplyError,
  type ApplySetOptions,
  type Change,
  type ChangeAction,
  type ChangeSet,
  type DeletionPolicy,
  type EncodedEntry,
  type EngineOptions,
  FORCE_ANNOTATION,
  formatChange,
  ImmutableFieldError,
  InvalidObjectError,
  Inventory,
  type InventoryEntry,
  type ObjectFailure,
  PRUNE_ANNOTATION,
  PruneRefusedError,
  RECONCILE_ANNOTATION,
  SSA_ANNOTATION,
  type Stage,
  stageObjects,
} from "./apply/mod.ts";

/** `checkHealth(obj)` (kstatus rules) and `waitForReady(client, ids, {timeoutMs})`. */
export {
  checkHealth,
  type Health,
  type HealthReport,
  type HealthStatus,
  type ObjectHealth,
  waitForReady,
  type WaitOptions,
} from "./health/mod.ts";

/** `renderDiff(live, desired)`: unified diff with Secret values masked. */
export { renderDiff, SECRET_MASK, unifiedDiff } from "./diff/mod.ts";
