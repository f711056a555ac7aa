// Flux's kustomization for a directory that has none: every Kubernetes manifest under it (files
// ending in .yaml, .yml or .json whose documents have apiVersion and kind), walking into
// subdirectories, except that a subdirectory with its own kustomization is listed whole. A file
// with a manifest suffix that is not valid YAML fails the build naming it: skipping it would make
// a broken commit look like "these objects were removed", and prune would delete them.
import {
  type Kustomization,
  KUSTOMIZATION_FILE_NAMES,
  normalizeKustomization,
} from "../kustomization.ts";
import { join, type Loader } from "../loader.ts";
import { parseResourceYaml } from "../yaml_compat.ts";
import { isMap } from "../resource.ts";
import { KustomizeError } from "../errors.ts";
import { YamlError } from "../../yaml/mod.ts";

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
  const file = loader.display(abs);
  let values: unknown[];
  try {
    const text = await loader.readText(abs, file, "");
    values = parseResourceYaml(text, file, loader.limits.maxAliases)
      .map((d) => d.value)
      .filter((v) => v !== null && v !== undefined);
  } catch (e) {
    if (e instanceof KustomizeError) throw e;
    // YamlError's message already starts with the file; keep its document and position.
    const detail = e instanceof YamlError
      ? e.message.replace(`${file}: `, "")
      : e instanceof Error
      ? e.message
      : String(e);
    throw new KustomizeError(file, "", `not valid YAML (${detail})`, e);
  }
  return values.length > 0 &&
    values.every((v) => isMap(v) && typeof v.apiVersion === "string" && typeof v.kind === "string");
}
