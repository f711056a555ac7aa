// skiff's Kustomize renderer: `kustomize build` without the kustomize binary, confined to a source
// root, and Flux's additions (generated kustomizations, the Kustomization overlay, post-build
// substitution) in ./flux.
import { type BuildOptions, buildResources } from "./build.ts";
import type { KubeObject } from "./resource.ts";

export type { BuildOptions } from "./build.ts";
export { emitDocument, emitYaml } from "./emit.ts";
export {
  KustomizeDecryptionError,
  KustomizeError,
  KustomizeLimitError,
  KustomizeSecurityError,
} from "./errors.ts";
export { DEFAULT_KUSTOMIZE_LIMITS, type KustomizeLimits, type LoadRestrictions } from "./loader.ts";
export type { KubeObject } from "./resource.ts";
export type { Kustomization } from "./kustomization.ts";
export {
  applyJsonPatch,
  JsonPatchError,
  type JsonPatchOp,
  strategicMerge,
  strategicMergeApimachinery,
  StrategicMergeError,
} from "./patches/mod.ts";
export { BUILTIN_SCHEMA, isClusterScoped, MergeKeySchema } from "./schema.ts";

/**
 * Builds the kustomization in `dir` (relative to `root`, or absolute inside it) and returns the
 * objects in output order. `root` is the confinement root: nothing outside it is read.
 */
export async function buildKustomization(
  root: string,
  dir: string,
  options: BuildOptions = {},
): Promise<KubeObject[]> {
  return (await buildResources(root, dir, options)).map((r) => r.obj);
}

// Flux's additions, also reachable as ./flux/mod.ts.
export {
  applyFluxKustomization,
  buildFluxKustomization,
  envsubst,
  EnvsubstError,
  type FluxKustomizationSpec,
  generateKustomization,
  type PostBuild,
  postBuildVariables,
  substitute,
  SUBSTITUTE_KEY,
  type SubstituteOptions,
  type SubstituteReference,
} from "./flux/mod.ts";
