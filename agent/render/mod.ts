// The render step of a Kustomization: artifact path → Flux's Kustomize build (SOPS decryption
// included) → post-build substitution.
export {
  BuildFailedError,
  DecryptionFailedError,
  renderKustomization,
  type RenderOptions,
  type RenderResult,
} from "./render.ts";
