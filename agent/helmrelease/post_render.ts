// Flux's kustomize post-renderer: the rendered manifest becomes the only resource of a
// kustomization with the HelmRelease's patches and images, built with lib/kustomize, and the
// output is the manifest that is stored and applied. spec.commonMetadata labels and annotates
// every rendered object first (its metadata only: selectors and pod templates stay as rendered).
import type { HelmRelease } from "../config/mod.ts";
import { buildKustomization, emitYaml } from "../../lib/kustomize/mod.ts";
import type { KubeObject } from "../../lib/kube/mod.ts";
import { parseAll } from "../../lib/yaml/mod.ts";

export function postRendererFor(
  hr: HelmRelease,
): ((manifest: string) => Promise<string>) | undefined {
  const renderers = (hr.spec.postRenderers ?? []).filter((r) => r.kustomize);
  const common = hr.spec.commonMetadata;
  if (renderers.length === 0 && !common) return undefined;
  return async (manifest) => {
    // commonMetadata first, so a post-renderer patch can still change what it set.
    let text = common ? withCommonMetadata(manifest, common) : manifest;
    for (const r of renderers) {
      const dir = await Deno.makeTempDir({ prefix: "skiff-postrender-" });
      try {
        await Deno.writeTextFile(`${dir}/all.yaml`, text);
        const kustomization = {
          apiVersion: "kustomize.config.k8s.io/v1beta1",
          kind: "Kustomization",
          resources: ["all.yaml"],
          ...(r.kustomize!.patches ? { patches: r.kustomize!.patches } : {}),
          ...(r.kustomize!.images ? { images: r.kustomize!.images } : {}),
        };
        await Deno.writeTextFile(`${dir}/kustomization.yaml`, JSON.stringify(kustomization));
        text = emitYaml(await buildKustomization(dir, dir));
        if (!text.startsWith("---")) text = `---\n${text}`;
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    }
    return text;
  };
}

/** Sets the labels and annotations on every object's metadata (existing keys are replaced). */
export function withCommonMetadata(
  manifest: string,
  common: { labels?: Record<string, string>; annotations?: Record<string, string> },
): string {
  const objects = (parseAll(manifest) as KubeObject[]).filter((o) =>
    o !== null && typeof o === "object"
  );
  for (const o of objects) {
    o.metadata ??= {};
    if (common.labels) o.metadata.labels = { ...o.metadata.labels, ...common.labels };
    if (common.annotations) {
      o.metadata.annotations = { ...o.metadata.annotations, ...common.annotations };
    }
  }
  const text = emitYaml(objects);
  return text.startsWith("---") ? text : `---\n${text}`;
}

/** What the post-render step depends on; a change re-renders the release (Flux upgrades). */
export async function postRenderersDigest(hr: HelmRelease): Promise<string> {
  const text = JSON.stringify({
    postRenderers: hr.spec.postRenderers ?? [],
    commonMetadata: hr.spec.commonMetadata ?? null,
  });
  const hash = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
  );
  return `sha256:${[...hash].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}
