// lib/oci: OCI artifacts as Flux's OCIRepository uses them, through lib/registry.
//
//   const artifact = await pullOciArtifact({ url: "oci://ghcr.io/org/manifests",
//     ref: { semver: ">=1.0.0" }, credentials }, cacheDir, { key: "OCIRepository/ns/name" });
//   // artifact.revision === "1.2.0@sha256:..."; throws OciError { reason, lastArtifact }
//   await pushOciArtifact({ url: "oci://host/repo:v1", path: "./deploy", source, revision });
export { OciError, type OciFailure } from "./errors.ts";
export { type OciPullOptions, type OciPullSpec, pullOciArtifact } from "./pull.ts";
export { type OciPushResult, type OciPushSpec, pushOciArtifact } from "./push.ts";
export { type OciRef, type ResolvedRef, resolveRef, revisionOf } from "./ref.ts";
export { type LayerDescriptor, type LayerSelector, selectLayer } from "./layer.ts";
export { type ArtifactFile, keptFiles } from "./ignore.ts";
export { parseRepositoryUrl, parseTaggedUrl } from "./url.ts";
export {
  ANNOTATION_CREATED,
  ANNOTATION_REVISION,
  ANNOTATION_SOURCE,
  DOCKER_MANIFEST,
  FLUX_CONFIG_MEDIA_TYPE,
  FLUX_CONTENT_MEDIA_TYPE,
  INDEX_MEDIA_TYPES,
  OCI_MANIFEST,
} from "./media_types.ts";
