// Flux's kustomization for a directory that has none: every Kubernetes manifest under it (files
// ending in .yaml, .yml or .json whose documents have apiVersion and kind), walking into
// subdirectories, except that a subdirectory with its own kustomization is listed whole.
import {
  type Kustomization,
  KUSTOMIZATION_FILE_NAMES,
  normalizeKustomization,
} from "../kustomization.ts";
import { join, type Loader } from "../loader.ts";
import { parseResourceYaml } from "../yaml_compat.ts";
import { isMap } from "../resource.ts";

const MANIFEST = /\.(ya?ml|json)$/;

export async function generateKustomization(loader: Loader, dir: string): Promise<Kustomization> {
  const resources: string[] = [];
  const walk = async (abs: string, rel: string) => {
    for (const entry of await loader.list(abs, loader.display(dir), "")) {
      const childAbs = join(abs, entry.name);
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      const kind = loader.kindOf(childAbs, loader.display(dir), "");
      if (kind === "dir") {
        const own = [];
        for (const name of KUSTOMIZATION_FILE_NAMES) {
          if (loader.kindOf(join(childAbs, name), loader.display(dir), "") === "file") {
            own.push(name);
          }
        }
        if (own.length > 0) resources.push(childRel);
        else await walk(childAbs, childRel);
        continue;
      }
      if (kind !== "file" || !MANIFEST.test(entry.name)) continue;
      if (KUSTOMIZATION_FILE_NAMES.includes(entry.name)) continue;
      if (await isManifest(loader, childAbs)) resources.push(childRel);
    }
  };
  await walk(dir, "");
  return normalizeKustomization({
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    resources,
  }, `${loader.display(dir)}/kustomization.yaml (generated)`);
}

async function isManifest(loader: Loader, abs: string): Promise<boolean> {
  try {
    const text = await loader.readText(abs, loader.display(abs), "");
    const docs = parseResourceYaml(text, loader.display(abs), loader.limits.maxAliases);
    const values = docs.map((d) => d.value).filter((v) => v !== null && v !== undefined);
    return values.length > 0 &&
      values.every((v) =>
        isMap(v) && typeof v.apiVersion === "string" && typeof v.kind === "string"
      );
  } catch {
    return false;
  }
}
