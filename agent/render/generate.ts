// Flux renders a path without a kustomization.yaml by generating one that lists every manifest
// under it (a subdirectory with its own kustomization.yaml is listed as a whole). Files that are
// YAML but not Kubernetes objects are skipped; files that are not valid YAML fail the build, so a
// broken commit can never look like "these objects were removed".
import { join, relative } from "node:path";
import { parseAll, readTextStrict, YamlError } from "../../lib/yaml/mod.ts";

export const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

export class ManifestError extends Error {
  override readonly name = "ManifestError";
  constructor(readonly file: string, readonly reason: string) {
    super(`${file}: ${reason}`);
  }
}

export async function hasKustomizationFile(dir: string): Promise<boolean> {
  for (const name of KUSTOMIZATION_FILES) {
    try {
      if ((await Deno.stat(join(dir, name))).isFile) return true;
    } catch {
      // not this name
    }
  }
  return false;
}

/** Resources for a generated kustomization.yaml in `dir`, relative to it. `shown` prefixes messages. */
export async function listManifests(dir: string, shown: string): Promise<string[]> {
  const found: string[] = [];
  await walk(dir, dir, shown, found);
  return found.sort();
}

async function walk(root: string, dir: string, shown: string, found: string[]): Promise<void> {
  const entries = [];
  for await (const e of Deno.readDir(dir)) entries.push(e);
  entries.sort((a, b) => a.name < b.name ? -1 : 1);
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory) {
      if (await hasKustomizationFile(path)) found.push(relative(root, path));
      else await walk(root, path, shown, found);
      continue;
    }
    if (!entry.isFile || !/\.ya?ml$/.test(entry.name)) continue;
    const display = join(shown, relative(root, path));
    let docs: unknown[];
    try {
      docs = parseAll(await readTextStrict(path), { file: display });
    } catch (e) {
      if (e instanceof YamlError) throw new ManifestError(display, e.reason);
      throw e;
    }
    const isManifest = docs.some((d) =>
      typeof d === "object" && d !== null && "apiVersion" in d && "kind" in d
    );
    if (isManifest) found.push(relative(root, path));
  }
}
