// Helm chart repositories: index.yaml (streamed, only wanted charts kept), version selection,
// ETag and digest caching, digest-verified downloads.
export { type CachedIndex, RepoCache } from "./cache.ts";
export { RepoError } from "./errors.ts";
export { type ChartVersion, scanIndex, type ScannedIndex } from "./index_scan.ts";
export {
  chartVersions,
  type RepoAuth,
  resolveChart,
  type ResolvedChart,
  type ResolveOptions,
} from "./resolve.ts";
export { selectVersion } from "./select.ts";
export { HELM_CHART_LAYER, type OciChart, resolveOciChart } from "./oci.ts";
