// Flux's Kustomization spec folded into the directory's kustomization before the build, as
// kustomize-controller does: targetNamespace replaces `namespace`, namePrefix/nameSuffix replace
// theirs, patches, images and components are appended, commonMetadata adds labels (not to
// selectors) and annotations.
import type { ImageEntry, Kustomization, PatchEntry } from "../kustomization.ts";
import { isMap } from "../resource.ts";

export interface FluxKustomizationSpec {
  targetNamespace?: string;
  namePrefix?: string;
  nameSuffix?: string;
  patches?: PatchEntry[];
  /** v1beta2 only. */
  patchesStrategicMerge?: unknown[];
  /** v1beta2 only. */
  patchesJson6902?: PatchEntry[];
  images?: ImageEntry[];
  components?: string[];
  commonMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

export function applyFluxKustomization(
  k: Kustomization,
  spec: FluxKustomizationSpec,
): Kustomization {
  if (spec.targetNamespace) k.namespace = spec.targetNamespace;
  if (spec.namePrefix) k.namePrefix = spec.namePrefix;
  if (spec.nameSuffix) k.nameSuffix = spec.nameSuffix;
  for (const p of spec.patches ?? []) k.patches.push({ patch: p.patch, target: p.target });
  for (const p of spec.patchesStrategicMerge ?? []) {
    k.patchesStrategicMerge.push(typeof p === "string" ? p : JSON.stringify(p));
  }
  for (const p of spec.patchesJson6902 ?? []) {
    k.patchesJson6902.push({
      target: p.target,
      patch: JSON.stringify((p as { patch: unknown }).patch),
    });
  }
  for (const img of spec.images ?? []) k.images.push({ ...img });
  for (const c of spec.components ?? []) k.components.push(c);
  const meta = spec.commonMetadata;
  if (meta && isMap(meta)) {
    if (meta.labels && Object.keys(meta.labels).length > 0) {
      k.labels.push({ pairs: { ...meta.labels }, includeSelectors: false });
    }
    if (meta.annotations && Object.keys(meta.annotations).length > 0) {
      k.commonAnnotations = { ...(k.commonAnnotations ?? {}), ...meta.annotations };
    }
  }
  return k;
}
