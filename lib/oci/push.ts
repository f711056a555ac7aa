// Publishing a directory as an OCI artifact, as `flux push artifact` does: the files (minus
// --ignore-paths) as one tar+gzip layer of Flux's content media type, an empty JSON config of
// Flux's config media type, and an OCI image manifest annotated with where the content came from (source URL, revision, creation time).
import { writeTgz } from "../archive/mod.ts";
import {
  RegistryClient,
  type RegistryClientOptions,
  type RegistryCredentials,
  RegistryError,
} from "../registry/mod.ts";
import { OciError } from "./errors.ts";
import { type ArtifactFile, keptFiles } from "./ignore.ts";
import {
  ANNOTATION_CREATED,
  ANNOTATION_REVISION,
  ANNOTATION_SOURCE,
  FLUX_CONFIG_MEDIA_TYPE,
  FLUX_CONTENT_MEDIA_TYPE,
  OCI_MANIFEST,
} from "./media_types.ts";
import { parseTaggedUrl } from "./url.ts";

export interface OciPushSpec {
  /** `oci://host/repository:tag`. */
  url: string;
  /** Directory whose files become the artifact. */
  path: string;
  /** Where the content comes from (a Git URL), annotated as org.opencontainers.image.source. */
  source: string;
  /** Its revision (e.g. `main@sha1:...`), annotated as org.opencontainers.image.revision. */
  revision: string;
  /** Paths left out (.gitignore syntax), as `--ignore-paths`; `.git/` is always left out. */
  ignorePaths?: string[];
  /** More manifest annotations. */
  annotations?: Record<string, string>;
  credentials?: RegistryCredentials;
  /** Default: now. */
  created?: Date;
}

export interface OciPushResult {
  /** `host/repository:tag@sha256:...`, what `flux push artifact` prints. */
  reference: string;
  digest: string;
  files: number;
}

export async function pushOciArtifact(
  spec: OciPushSpec,
  options: RegistryClientOptions = {},
): Promise<OciPushResult> {
  const target = parseTaggedUrl(spec.url);
  const files = await readDirectory(spec.path);
  const ignore = spec.ignorePaths && spec.ignorePaths.length > 0
    ? spec.ignorePaths.join("\n")
    : undefined;
  // Only VCS metadata, .sourceignore files and --ignore-paths are left out, not Flux's default
  // exclusions: those apply when the artifact is pulled.
  const kept = keptFiles(files, ignore ?? "");
  const layer = await writeTgz(kept);
  const config = new TextEncoder().encode("{}");
  const client = new RegistryClient(options);
  try {
    const layerDigest = await client.pushBlob(target, layer, spec.credentials);
    const configDigest = await client.pushBlob(target, config, spec.credentials);
    const created = (spec.created ?? new Date()).toISOString().replace(/\.\d+Z$/, "Z");
    const manifest = new TextEncoder().encode(JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: FLUX_CONFIG_MEDIA_TYPE, digest: configDigest, size: config.length },
      layers: [{ mediaType: FLUX_CONTENT_MEDIA_TYPE, digest: layerDigest, size: layer.length }],
      annotations: {
        [ANNOTATION_CREATED]: created,
        [ANNOTATION_SOURCE]: spec.source,
        [ANNOTATION_REVISION]: spec.revision,
        ...spec.annotations,
      },
    }));
    const digest = await client.pushManifest(target, target.tag, {
      bytes: manifest,
      mediaType: OCI_MANIFEST,
    }, spec.credentials);
    return {
      reference: `${target.canonicalName}:${target.tag}@${digest}`,
      digest,
      files: kept.length,
    };
  } catch (e) {
    if (e instanceof RegistryError) {
      throw new OciError(e.reason === "Unauthorized" ? "Unauthorized" : "Registry", e.message, e);
    }
    throw e;
  } finally {
    client.close();
  }
}

/** Every regular file below `root` ("/"-separated names); symlinks are not followed. */
async function readDirectory(root: string): Promise<ArtifactFile[]> {
  const out: ArtifactFile[] = [];
  const walk = async (dir: string, prefix: string) => {
    let entries: Deno.DirEntry[];
    try {
      entries = [];
      for await (const e of Deno.readDir(dir)) entries.push(e);
    } catch (e) {
      throw new OciError("Storage", `cannot read ${dir}: ${(e as Error).message}`, e);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const path = `${dir}/${e.name}`;
      const name = prefix + e.name;
      if (e.isDirectory) await walk(path, `${name}/`);
      else if (e.isFile) {
        const info = await Deno.stat(path);
        out.push({ name, data: await Deno.readFile(path), mode: info.mode ?? 0o644 });
      }
    }
  };
  await walk(root, "");
  return out;
}
