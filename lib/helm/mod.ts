/**
 * Helm charts without the helm binary: loading (directory, .tgz, HTTP repository, OCI),
 * values (files, --set, coalescing, schema), rendering as `helm template` does, and the
 * release summary.
 *
 * ```ts
 * const chart = await loadChart("./mychart");
 * const values = mergeValues({ files: [{ path: "prod.yaml", text }], values: ["image.tag=1.2"] });
 * const out = renderChart(chart, values, { releaseName: "web", namespace: "apps" });
 * console.log(formatTemplateOutput(out));
 * ```
 */
export {
  type Chart,
  type ChartFile,
  ChartLoadError,
  ChartValidationError,
  type Dependency,
  loadChart,
  loadChartArchive,
  loadChartDir,
  type Metadata,
  processDependencies,
} from "./chart/mod.ts";
export {
  ArchiveError,
  type ArchiveLimits,
  DEFAULT_ARCHIVE_LIMITS,
  readTgz,
} from "./archive/mod.ts";
export { type LookupFunction, makeCapabilities, RenderError, toYaml } from "./engine/mod.ts";
export {
  type CrdFile,
  formatTemplateOutput,
  type Hook,
  type HookEvent,
  type Manifest,
  releaseManifest,
  type RenderedRelease,
  ShowOnlyError,
  sortManifests,
  type TemplateOutputOptions,
} from "./manifests/mod.ts";
export {
  coalesceValues,
  mergeValues,
  parseSet,
  parseSetInto,
  parseValuesYaml,
  SchemaValidationError,
  SetParseError,
  SetValueError,
  type Table,
  validateAgainstSchema,
  ValuesError,
  type ValueSources,
} from "./values/mod.ts";
export {
  type ChartVersion,
  chartVersions,
  type OciChart,
  type RepoAuth,
  RepoCache,
  RepoError,
  resolveChart,
  type ResolvedChart,
  resolveOciChart,
  scanIndex,
  selectVersion,
} from "./repo/mod.ts";
export {
  ChartRenderError,
  checkDependencies,
  clearRenderCaches,
  renderChart,
  type RenderChartOptions,
  type RenderedChart,
  validateReleaseName,
} from "./render_chart.ts";
export { formatAnsicDate, formatReleaseSummary, type ReleaseSummary } from "./release_summary.ts";
export { helmTemplate, HelmTemplateError, type HelmTemplateOptions } from "./template_command.ts";
export { type AsyncLookup, LookupPassesError, renderChartLive } from "./live_lookup.ts";
