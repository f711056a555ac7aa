// `buildMetadata:` of the top kustomization: managedByLabel (app.kubernetes.io/managed-by) and
// originAnnotations (config.kubernetes.io/origin: the file an object came from, or the
// kustomization and generator that made it, relative to the top kustomization).
import { relative } from "node:path";
import { KustomizeError } from "./errors.ts";
import { join, type Loader } from "./loader.ts";
import type { Resource } from "./resource.ts";

export const MANAGED_BY = "kustomize-v5.5.0";

export function applyBuildMetadata(
  resources: Resource[],
  options: string[],
  loader: Loader,
  topDir: string,
  file: string,
) {
  options.forEach((option, i) => {
    if (option !== "managedByLabel" && option !== "originAnnotations") {
      throw new KustomizeError(
        file,
        `buildMetadata[${i}]`,
        `"${option}" is not supported (supported: managedByLabel, originAnnotations)`,
      );
    }
  });
  const fromTop = (display: string) => relative(topDir, join(loader.root, display));
  for (const r of resources) {
    if (options.includes("originAnnotations")) {
      const origin = r.generatedBy
        ? `configuredIn: ${
          fromTop(r.generatedBy.file)
        }\nconfiguredBy:\n  apiVersion: builtin\n  kind: ${r.generatedBy.kind}\n`
        : `path: ${fromTop(r.origin)}\n`;
      r.metadata.annotations = { ...r.annotations(), "config.kubernetes.io/origin": origin };
    }
    if (options.includes("managedByLabel")) {
      r.metadata.labels = { ...r.labels(), "app.kubernetes.io/managed-by": MANAGED_BY };
    }
  }
}
