// Flux's kustomize post-renderer: the rendered manifest becomes the only resource of a
// kustomization with the HelmRelease's patches and images, built with lib/kustomize, and the
// output is the manifest that is stored and applied.
import type { HelmRelease } from "../config/mod.ts";
import { buildKustomization, emitYaml } from "../../lib/kustomize/mod.ts";

export function postRendererFor(
  hr: HelmRelease,
): ((manifest: string) => Promise<string>) | undefined {
  const renderers = (hr.spec.postRenderers ?? []).filter((r) => r.kustomize);
  if (renderers.length === 0) return undefined;
  return async (manifest) => {
    let text = manifest;
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
