// `skiff reconcile NAME [--kind K] [-n NS] [--with-source]`, or as flux spells it
// (`skiff reconcile source oci NAME`, `skiff reconcile ks NAME`, see reconcile_target.ts): ask a
// running agent to reconcile an object now.
import { requestReconcile } from "./agent_api.ts";
import { reconcileTarget } from "./reconcile_target.ts";

export async function reconcileCommand(
  agentUrl: string,
  words: string[],
  options: { kind: string; namespace: string; withSource: boolean },
): Promise<number> {
  const { kind, name } = reconcileTarget(words, options.kind);
  const key = await requestReconcile(agentUrl, {
    kind,
    namespace: options.namespace,
    name,
    withSource: options.withSource,
  });
  console.log(`► reconcile requested for ${key}${options.withSource ? " (with its source)" : ""}`);
  return 0;
}
