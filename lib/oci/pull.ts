// Pulling an OCIRepository's artifact: resolve spec.ref to a manifest, pick the layer, stream it
// from the registry through a hardened unpacker (lib/archive) into a staging directory, apply
// the ignore rules, check the layer's digest and only then promote the directory. When the manifest digest and the selection are what the last good
// artifact was made from, the layer is not downloaded again: a poll costs one manifest GET.
import { createHash } from "node:crypto";
import { ArchiveError, type ArchiveLimits } from "../archive/mod.ts";
import type { Artifact } from "../git/mod.ts";
import {
  RegistryClient,
  type RegistryClientOptions,
  type RegistryCredentials,
  RegistryError,
} from "../registry/mod.ts";
import { commitArtifact, lastArtifact, sourceRoot } from "./artifact_dir.ts";
import { OciError } from "./errors.ts";
import { type LayerSelector, selectLayer } from "./layer.ts";
import { type OciRef, resolveRef, revisionOf } from "./ref.ts";
import { unpackLayer } from "./unpack_layer.ts";
import { parseRepositoryUrl } from "./url.ts";

export interface OciPullSpec {
  /** `oci://host/repository`. */
  url: string;
  ref?: OciRef;
  layerSelector?: LayerSelector;
  /** spec.ignore (undefined: Flux's default exclusions). */
  ignore?: string;
  credentials?: RegistryCredentials;
}

export interface OciPullOptions {
  /** Names the source's directory in the cache (e.g. "OCIRepository/flux-system/apps"). */
  key: string;
  /** Plain HTTP, CA certificates, client certificate, timeout. */
  registry?: RegistryClientOptions;
  /** Bounds on the unpacked layer (default: lib/archive's, 100 MiB and 10,000 files). */
  limits?: Partial<ArchiveLimits>;
  /** Largest compressed layer accepted, default 64 MiB. */
  maxLayerBytes?: number;
  now?: () => Date;
}

const DEFAULT_MAX_LAYER_BYTES = 64 * 1024 * 1024;

/** Pulls the artifact into `<cacheDir>/oci/...`; throws OciError with the last good artifact. */
export async function pullOciArtifact(
  spec: OciPullSpec,
  cacheDir: string,
  options: OciPullOptions,
): Promise<Artifact> {
  const root = sourceRoot(cacheDir, options.key);
  const previous = await lastArtifact(root);
  try {
    return await pull(spec, root, previous, options);
  } catch (e) {
    const error = asOciError(e, spec.url);
    throw new OciError(error.reason, error.message, error.cause ?? e, previous);
  }
}

async function pull(
  spec: OciPullSpec,
  root: string,
  previous: Artifact | undefined,
  options: OciPullOptions,
): Promise<Artifact> {
  const image = parseRepositoryUrl(spec.url);
  const where = spec.url;
  const client = new RegistryClient(options.registry);
  try {
    const resolved = await resolveRef(
      spec.ref,
      async () => (await client.listTags(image, spec.credentials)).tags,
      where,
    );
    const pinned = resolved.reference.startsWith("sha256:")
      ? `${image.canonicalName}@${resolved.reference}`
      : `${image.canonicalName}:${resolved.reference}`;
    const manifest = await client.manifest(pinned, spec.credentials);
    const revision = revisionOf(resolved, manifest.digest);
    // The directory name covers everything that shapes the files, so a changed ignore or layer
    // selector makes a new artifact even at the same revision.
    const name = createHash("sha256")
      .update(JSON.stringify([manifest.digest, spec.layerSelector ?? {}, spec.ignore ?? null]))
      .digest("hex").slice(0, 16);
    if (previous && previous.revision === revision && previous.dir === `${root}/${name}`) {
      return previous;
    }
    const layer = selectLayer(manifest.json, manifest.mediaType, spec.layerSelector, pinned);
    const blob = await client.blobStream(
      pinned,
      layer.digest,
      spec.credentials,
      options.maxLayerBytes ?? DEFAULT_MAX_LAYER_BYTES,
    );
    // `copy` hands consumers the layer's tarball unchanged; they unpack it, as Flux's do. skiff's
    // consumers read a directory, so both operations end up as the same unpacked files.
    const written = await unpackLayer(
      blob,
      root,
      name,
      `${pinned} layer ${layer.digest}`,
      spec.layerSelector?.operation === "copy" ? null : spec.ignore,
      options.limits,
    );
    const artifact: Artifact = {
      revision,
      digest: written.digest,
      dir: written.dir,
      lastUpdateTime: (options.now?.() ?? new Date()).toISOString().replace(/\.\d+Z$/, "Z"),
      url: spec.url,
      files: written.files,
      size: written.size,
    };
    await commitArtifact(root, artifact, previous);
    return artifact;
  } finally {
    client.close();
  }
}

function asOciError(e: unknown, url: string): OciError {
  if (e instanceof OciError) return e;
  if (e instanceof RegistryError) {
    return new OciError(e.reason === "Unauthorized" ? "Unauthorized" : "Registry", e.message, e);
  }
  if (e instanceof ArchiveError) {
    return new OciError("Archive", `${url}: the layer was refused: ${e.message}`, e);
  }
  if (e instanceof SyntaxError) {
    return new OciError("NoMatchingTag", `${url}: spec.ref.semverFilter: ${e.message}`, e);
  }
  throw e;
}
