// What can go wrong pulling or pushing an OCI artifact, as a value callers branch on.
import type { Artifact } from "../git/mod.ts";

export type OciFailure =
  | "InvalidUrl" // not oci://host/repository, or a tag/digest inside the URL
  | "NoMatchingTag" // spec.ref.semver matched no tag
  | "UnsupportedManifest" // an image index, or a manifest without layers
  | "LayerNotFound" // spec.layerSelector.mediaType matched no layer
  | "Unauthorized" // the registry refused the credentials (or wants some)
  | "Registry" // the registry failed otherwise (404, network, digest mismatch, 5xx)
  | "Archive" // the layer is not a safe tar+gzip within the limits
  | "Storage"; // the artifact directory could not be written

export class OciError extends Error {
  override readonly name = "OciError";
  constructor(
    readonly reason: OciFailure,
    message: string,
    override readonly cause?: unknown,
    /** The last good artifact of this source, still on disk, when a pull failed. */
    readonly lastArtifact?: Artifact,
  ) {
    super(message);
  }
}
