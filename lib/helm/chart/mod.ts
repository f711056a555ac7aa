// Charts: loading (directory, .tgz), Chart.yaml rules, .helmignore, dependencies.
export { ChartLoadError, ChartValidationError } from "./errors.ts";
export {
  cloneChartTree,
  isCompatibleRange,
  processDependencies,
  processDependencyEnabled,
  processDependencyImportValues,
} from "./dependencies.ts";
export { IgnoreRules } from "./helmignore.ts";
export { loadChart } from "./load.ts";
export { loadChartDir } from "./load_dir.ts";
export { loadChartArchive, loadChartFiles } from "./load_files.ts";
export { isLibrary, parseMetadata, validateMetadata } from "./metadata.ts";
export { compilePathPattern, pathMatch } from "./path_match.ts";
export {
  type Chart,
  type ChartFile,
  chartFullPath,
  chartName,
  chartPath,
  type Dependency,
  isRoot,
  type Maintainer,
  type Metadata,
} from "./types.ts";
