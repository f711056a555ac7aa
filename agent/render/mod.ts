// The render step of a Kustomization: artifact path → Kustomize build under Flux's overlay →
// post-build substitution.
export { BuildFailedError, type RenderOptions, type RenderResult, renderKustomization } from "./render.ts";
export { SUBSTITUTE_ANNOTATION, substituteObject, substituteText, SubstitutionError } from "./substitute.ts";
export { ManifestError } from "./generate.ts";
