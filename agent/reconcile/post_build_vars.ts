// The variables of a Kustomization's post-build substitution: spec.postBuild.substitute, over
// the keys of every ConfigMap and Secret in substituteFrom (later ones win, inline ones last),
// as Flux merges them.
import type { Kustomization } from "../config/mod.ts";
import { KubeApiError, type KubeClient } from "../../lib/kube/mod.ts";
import type { SecretRegistry } from "../../lib/log/mod.ts";
import { readSecretData, SecretNotFoundError } from "../cluster/secrets.ts";

export class VarsNotFoundError extends Error {
  override readonly name = "VarsNotFoundError";
}

export async function postBuildVars(
  k: Kustomization,
  client: KubeClient,
  secrets: SecretRegistry,
): Promise<Record<string, string>> {
  const postBuild = k.spec.postBuild;
  if (!postBuild) return {};
  const ns = k.metadata.namespace;
  const vars: Record<string, string> = {};
  for (const [i, from] of (postBuild.substituteFrom ?? []).entries()) {
    const field = `spec.postBuild.substituteFrom[${i}]`;
    try {
      if (from.kind === "Secret") {
        Object.assign(vars, await readSecretData(client, ns, from.name, field, secrets));
      } else {
        const cm = await client.getIfExists("v1", "ConfigMap", from.name, ns);
        if (!cm) {
          throw new VarsNotFoundError(`${field}: ConfigMap ${ns}/${from.name} does not exist`);
        }
        Object.assign(vars, (cm.data ?? {}) as Record<string, string>);
      }
    } catch (e) {
      const missing = e instanceof SecretNotFoundError || e instanceof VarsNotFoundError ||
        (e instanceof KubeApiError && e.isNotFound);
      if (missing && from.optional) continue;
      if (e instanceof SecretNotFoundError) throw new VarsNotFoundError(e.message);
      throw e;
    }
  }
  Object.assign(vars, postBuild.substitute ?? {});
  return vars;
}
