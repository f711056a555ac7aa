// The render step of a Kustomization: artifact path → Kustomize build under Flux's overlay →
// post-build substitution.
export {
  BuildFailedError,
  renderKustomization,
  type RenderOptions,
  type RenderResult,
} from "./render.ts";
export { ManifestError } from "./generate.ts";
