// Rendered chart output: splitting, hooks, install order, and what `helm template` prints.
export { compareKinds, INSTALL_ORDER, sortByKind } from "./order.ts";
export { clearHeadCache, ManifestParseError, parseHead, type SimpleHead } from "./head.ts";
export { splitManifests } from "./split.ts";
export {
  HOOK_ANNOTATION,
  HOOK_DELETE_ANNOTATION,
  HOOK_WEIGHT_ANNOTATION,
  type SortedManifests,
  sortManifests,
} from "./sort.ts";
export {
  formatTemplateOutput,
  isTestHook,
  releaseManifest,
  type RenderedRelease,
  ShowOnlyError,
  type TemplateOutputOptions,
} from "./format.ts";
export type { CrdFile, Hook, HookDeletePolicy, HookEvent, Manifest } from "./types.ts";
