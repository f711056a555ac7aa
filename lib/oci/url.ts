// `oci://host/repository` (an OCIRepository's URL) and `oci://host/repository:tag` (what `flux
// push artifact` pushes to), read as lib/registry image references.
import { type ImageReference, parseImageRef } from "../registry/mod.ts";
import { OciError } from "./errors.ts";

const SCHEME = "oci://";

/** An OCIRepository URL: the repository only; tags and digests belong in spec.ref. */
export function parseRepositoryUrl(url: string): ImageReference {
  const ref = parse(url);
  if (ref.tag !== undefined || ref.digest !== undefined) {
    throw new OciError(
      "InvalidUrl",
      `${url}: the URL names a tag or digest; put it in spec.ref (tag, semver or digest)`,
    );
  }
  return ref;
}

/** A push target: `oci://host/repository:tag` (the tag is required). */
export function parseTaggedUrl(url: string): ImageReference & { tag: string } {
  const ref = parse(url);
  if (ref.tag === undefined || ref.digest !== undefined) {
    throw new OciError("InvalidUrl", `${url}: expected oci://host/repository:tag`);
  }
  return ref as ImageReference & { tag: string };
}

function parse(url: string): ImageReference {
  if (!url.startsWith(SCHEME)) {
    throw new OciError("InvalidUrl", `${url}: an OCI URL starts with ${SCHEME}`);
  }
  const rest = url.slice(SCHEME.length).replace(/\/+$/, "");
  // Without a host part the registry would silently default to Docker Hub: Flux requires one.
  if (!rest.includes("/")) {
    throw new OciError("InvalidUrl", `${url}: expected oci://host/repository`);
  }
  try {
    return parseImageRef(rest);
  } catch (e) {
    throw new OciError("InvalidUrl", `${url}: ${(e as Error).message}`, e);
  }
}
