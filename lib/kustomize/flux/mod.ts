// Flux's additions to the Kustomize build: generated kustomizations for plain directories, the
// Kustomization spec overlay, and post-build variable substitution.
import { type BuildOptions, buildResources } from "../build.ts";
import type { KubeObject } from "../resource.ts";
import { generateKustomization } from "./generate.ts";
import { applyFluxKustomization, type FluxKustomizationSpec } from "./overlay.ts";

export { applyFluxKustomization, type FluxKustomizationSpec } from "./overlay.ts";
export { generateKustomization } from "./generate.ts";
export { substitute, SUBSTITUTE_KEY, type SubstituteOptions } from "./substitute.ts";
export { envsubst, EnvsubstError, type EnvsubstOptions } from "./envsubst.ts";

/**
 * Builds `path` of a source the way kustomize-controller does: a kustomization is generated when
 * the directory has none, the Flux spec is folded in, files may be read from anywhere in the
 * source root (Flux lifts kustomize's load restrictions), and objects keep accumulation order.
 */
export async function buildFluxKustomization(
  root: string,
  path: string,
  spec: FluxKustomizationSpec = {},
  options: Omit<BuildOptions, "generate" | "overlay"> = {},
): Promise<KubeObject[]> {
  const resources = await buildResources(root, path, {
    sort: "fifo",
    loadRestrictions: "none",
    ...options,
    generate: generateKustomization,
    overlay: (k) => applyFluxKustomization(k, spec),
  });
  return resources.map((r) => r.obj);
}
export { type PostBuild, postBuildVariables, type SubstituteReference } from "./variables.ts";
