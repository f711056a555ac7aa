// `skiff reconcile NAME [--kind K] [-n NS] [--with-source]`: ask a running agent to reconcile
// an object now.
import { requestReconcile } from "./agent_api.ts";
import { UsageError } from "./output.ts";

const KINDS: Record<string, string> = {
  kustomization: "Kustomization",
  ks: "Kustomization",
  gitrepository: "GitRepository",
  source: "GitRepository",
  helmrelease: "HelmRelease",
  hr: "HelmRelease",
};

export async function reconcileCommand(
  agentUrl: string,
  name: string,
  options: { kind: string; namespace: string; withSource: boolean },
): Promise<number> {
  // "kustomization/apps" is accepted too, as flux and kubectl write it.
  let kind = options.kind;
  let objectName = name;
  if (name.includes("/")) [kind, objectName] = name.split("/", 2);
  const resolved = KINDS[kind.toLowerCase()] ?? kind;
  if (!/^[A-Z]/.test(resolved)) {
    throw new UsageError(`unknown kind "${kind}": expected e.g. Kustomization or GitRepository`);
  }
  const key = await requestReconcile(agentUrl, {
    kind: resolved,
    namespace: options.namespace,
    name: objectName,
    withSource: options.withSource,
  });
  console.log(`► reconcile requested for ${key}${options.withSource ? " (with its source)" : ""}`);
  return 0;
}
