// The built-in transformers of one kustomization, in kustomize v5's order: patchesStrategicMerge,
// patches, namespace, namePrefix, nameSuffix, labels and commonLabels, commonAnnotations,
// patchesJson6902, replicas, images, replacements. (`transformers:` plugins run after these.)
import type { Accumulation } from "./build.ts";
import type { FieldSpec, LoadedKustomization } from "./kustomization.ts";
import { applyImages } from "./images.ts";
import { applyMapEntries } from "./labels.ts";
import type { Loader } from "./loader.ts";
import { applyPrefixSuffix } from "./name_prefix.ts";
import { applyNamespace } from "./namespace.ts";
import { applyPatches, applyPatchesJson6902, applyPatchesStrategicMerge } from "./patches/apply.ts";
import { applyReplacements, loadReplacements } from "./replacements.ts";
import { applyReplicas } from "./replicas.ts";
import type { MergeKeySchema } from "./schema.ts";

export async function runBuiltinTransformers(
  loaded: LoadedKustomization,
  acc: Accumulation,
  loader: Loader,
  schema: MergeKeySchema,
): Promise<void> {
  const { k, display: file, dir } = loaded;
  const res = acc.resources;
  res.changed();
  const tc = acc.config;
  const ctx = { loader, dir, file, schema };
  await applyPatchesStrategicMerge(res, k.patchesStrategicMerge, ctx);
  await applyPatches(res, k.patches, ctx);
  if (k.namespace) applyNamespace(res, k.namespace, tc.namespace);
  applyPrefixSuffix(res, "prefix", k.namePrefix ?? "", tc.namePrefix);
  applyPrefixSuffix(res, "suffix", k.nameSuffix ?? "", tc.nameSuffix);
  for (const label of k.labels) {
    const pairs = label.pairs ?? {};
    const strings = Object.fromEntries(
      Object.entries(pairs).map(([a, b]) => [a, String(b ?? "")]),
    );
    // includeSelectors: everywhere commonLabels go; otherwise metadata (and pod templates).
    let specs: FieldSpec[] = [...(label.fields ?? [])];
    if (label.includeSelectors) specs = [...specs, ...tc.commonLabels];
    else {
      specs = [...specs, { path: "metadata/labels", create: true }];
      if (label.includeTemplates) specs = [...specs, ...tc.templateLabels];
    }
    applyMapEntries(res, strings, specs);
  }
  applyMapEntries(res, k.commonLabels, tc.commonLabels);
  applyMapEntries(res, k.commonAnnotations, tc.commonAnnotations);
  await applyPatchesJson6902(res, k.patchesJson6902, ctx);
  applyReplicas(res, k.replicas, tc.replicas, file);
  applyImages(res, k.images, tc.images);
  if (k.replacements.length > 0) {
    applyReplacements(res, await loadReplacements(k.replacements, loader, dir, file), file);
  }
}
