// The Kubernetes client: transport, verbs, watch.
export {
  type ApplyOptions,
  type DeleteOptions,
  KubeClient,
  type KubeClientOptions,
  type ListOptions,
  type PatchType,
  type WatchOptions,
  type WriteOptions,
} from "./client.ts";
export {
  type KubeRequest,
  Transport,
  type TransportOptions,
  type TransportStats,
} from "./transport.ts";
export { DEFAULT_RETRY, parseRetryAfter, retryDelayMs, type RetryPolicy } from "./backoff.ts";
export type { WatchEvent } from "./watch.ts";
