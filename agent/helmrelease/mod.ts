// The HelmRelease reconciler's helpers: chart sources, values, post-renderers, drift and the
// state kept between runs.
export { ChartSourceError, chartSourceKey, fetchChart, type FetchedChart } from "./chart_source.ts";
export { composeValues, mergeMaps, valuesDigest, ValuesReferenceError } from "./values.ts";
export { postRendererFor, postRenderersDigest, withCommonMetadata } from "./post_render.ts";
export {
  type Condition,
  forgetHelmReleaseState,
  type HelmReleaseState,
  helmReleaseState,
  type ReleaseCoordinates,
  sameRelease,
  setCondition,
  type Snapshot,
  snapshotOf,
} from "./state.ts";
export { detectDrift, type DriftIgnoreRule, type DriftReport, ruleMatches } from "./drift.ts";
export { diffHelmRelease, type HelmReleaseDiff } from "./diff.ts";
export { helmReleaseLabels } from "./labels.ts";
export {
  HELM_RELEASE_STATE_LABELS,
  persistState,
  removeState,
  restoreState,
  stateConfigMapName,
} from "./stored_state.ts";
export { applyValuesFiles, ValuesFileError, type ValuesFilesSpec } from "./values_files.ts";
