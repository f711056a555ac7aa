// Which layer of an artifact's manifest becomes the artifact, as spec.layerSelector says: the
// layer of the given media type; without one, Flux's content layer when there is one, else the
// first layer (a Helm chart's chart layer, a `crane append`ed tarball).
import { FLUX_CONTENT_MEDIA_TYPE, INDEX_MEDIA_TYPES } from "./media_types.ts";
import { OciError } from "./errors.ts";

export interface LayerSelector {
  mediaType?: string;
  /** `extract` (default) unpacks the layer; `copy` takes it as it is. */
  operation?: "extract" | "copy";
}

export interface LayerDescriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export function selectLayer(
  manifest: unknown,
  manifestMediaType: string,
  selector: LayerSelector | undefined,
  where: string,
): LayerDescriptor {
  if (INDEX_MEDIA_TYPES.includes(manifestMediaType)) {
    throw new OciError(
      "UnsupportedManifest",
      `${where}: is an image index (${manifestMediaType}); an OCIRepository pulls a single ` +
        "artifact manifest, such as one `flux push artifact` writes",
    );
  }
  const layers = layersOf(manifest);
  if (layers.length === 0) {
    throw new OciError("UnsupportedManifest", `${where}: the manifest has no layers`);
  }
  if (selector?.mediaType) {
    const match = layers.find((l) => l.mediaType === selector.mediaType);
    if (!match) {
      throw new OciError(
        "LayerNotFound",
        `${where}: no layer of media type '${selector.mediaType}' (spec.layerSelector.mediaType); ` +
          `the layers are: ${[...new Set(layers.map((l) => l.mediaType))].join(", ")}`,
      );
    }
    return match;
  }
  return layers.find((l) => l.mediaType === FLUX_CONTENT_MEDIA_TYPE) ?? layers[0];
}

function layersOf(manifest: unknown): LayerDescriptor[] {
  const raw = typeof manifest === "object" && manifest !== null
    ? (manifest as { layers?: unknown }).layers
    : undefined;
  if (!Array.isArray(raw)) return [];
  const out: LayerDescriptor[] = [];
  for (const l of raw) {
    if (typeof l !== "object" || l === null) continue;
    const { mediaType, digest, size } = l as Record<string, unknown>;
    if (typeof digest !== "string") continue;
    out.push({
      mediaType: typeof mediaType === "string" ? mediaType : "",
      digest,
      size: typeof size === "number" ? size : 0,
    });
  }
  return out;
}
