// The variables of `spec.postBuild`: `substituteFrom` ConfigMaps and Secrets (in order, later ones
// win; Secret values are base64-decoded), then the inline `substitute` map, which wins over all.
import { KustomizeError } from "../errors.ts";
import { isMap, type KubeObject } from "../resource.ts";

export interface SubstituteReference {
  kind: "ConfigMap" | "Secret";
  name: string;
  optional?: boolean;
}

export interface PostBuild {
  substitute?: Record<string, string>;
  substituteFrom?: SubstituteReference[];
}

function decodeBase64(s: string, where: string): string {
  try {
    const bin = atob(s);
    return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    throw new KustomizeError(where, "data", "a Secret value is not valid base64");
  }
}

/**
 * `sources` are the ConfigMaps and Secrets the caller read (from the cluster, in the
 * Kustomization's namespace); a reference that is missing fails unless it is optional.
 */
export function postBuildVariables(
  postBuild: PostBuild | undefined,
  sources: KubeObject[],
): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const ref of postBuild?.substituteFrom ?? []) {
    const found = sources.find((o) =>
      o.kind === ref.kind && isMap(o.metadata) && o.metadata.name === ref.name
    );
    if (!found) {
      if (ref.optional) continue;
      throw new KustomizeError(
        "postBuild",
        "substituteFrom",
        `${ref.kind} "${ref.name}" not found (mark it optional: true if it may be absent)`,
      );
    }
    const data = isMap(found.data) ? found.data : {};
    for (const [k, v] of Object.entries(data)) {
      vars[k] = ref.kind === "Secret"
        ? decodeBase64(String(v), `Secret/${ref.name}`)
        : String(v ?? "");
    }
    if (ref.kind === "Secret" && isMap(found.stringData)) {
      for (const [k, v] of Object.entries(found.stringData)) vars[k] = String(v ?? "");
    }
  }
  for (const [k, v] of Object.entries(postBuild?.substitute ?? {})) vars[k] = String(v ?? "");
  return vars;
}
