// The patch transformers: `patches` (strategic merge or JSON 6902, inline or from a file, with an
// optional target), and the deprecated `patchesStrategicMerge` and `patchesJson6902`.
export { strategicMerge, StrategicMergeError } from "./strategic_merge.ts";
export { strategicMergeApimachinery } from "./strategic_merge_apimachinery.ts";
export { applyJsonPatch, asJsonPatch, JsonPatchError, type JsonPatchOp } from "./json6902.ts";
export { applyPatches, applyPatchesJson6902, applyPatchesStrategicMerge } from "./apply.ts";
