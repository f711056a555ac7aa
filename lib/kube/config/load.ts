// Where the client's configuration comes from, in kubectl's order: an explicit --kubeconfig,
// else every file in KUBECONFIG merged, else ~/.kube/config, else the in-cluster service account.
import { KubeConfigError } from "../errors.ts";
import type { ClusterConfig } from "./credentials.ts";
import type { ExecOptions } from "./exec.ts";
import { inClusterAvailable, type InClusterOptions, loadInClusterConfig } from "./in_cluster.ts";
import { readKubeconfigFiles } from "./kubeconfig_file.ts";
import { resolveContext } from "./resolve.ts";

export interface LoadKubeConfigOptions {
  /** An explicit kubeconfig path (--kubeconfig): only this file is read, and it must exist. */
  kubeconfig?: string;
  /** The context to use instead of current-context (--context). */
  context?: string;
  /** Overrides the namespace of the context. */
  namespace?: string;
  /** Use the in-cluster service account even when a kubeconfig exists. */
  inCluster?: boolean;
  /** Environment to read KUBECONFIG, HOME and KUBERNETES_SERVICE_* from (default: process). */
  env?: Record<string, string | undefined>;
  inClusterOptions?: InClusterOptions;
  exec?: ExecOptions;
}

export async function loadKubeConfig(options: LoadKubeConfigOptions = {}): Promise<ClusterConfig> {
  const env = options.env ?? Deno.env.toObject();
  if (options.inCluster) return await loadInClusterConfig({ env, ...options.inClusterOptions });
  const resolve = { context: options.context, namespace: options.namespace, exec: options.exec };
  if (options.kubeconfig) {
    return resolveContext(await readKubeconfigFiles([options.kubeconfig], true), resolve);
  }
  const list = (env.KUBECONFIG ?? "").split(":").filter((p) => p !== "");
  if (list.length > 0) {
    const merged = await readKubeconfigFiles(unique(list), false);
    if (merged.files.length === 0) {
      throw new KubeConfigError(list.join(":"), "KUBECONFIG", "none of these files exists");
    }
    return resolveContext(merged, resolve);
  }
  const home = env.HOME;
  if (home) {
    const merged = await readKubeconfigFiles([`${home}/.kube/config`], false);
    if (merged.files.length > 0) return resolveContext(merged, resolve);
  }
  if (inClusterAvailable({ env })) {
    const config = await loadInClusterConfig({ env, ...options.inClusterOptions });
    return options.namespace ? { ...config, namespace: options.namespace } : config;
  }
  throw new KubeConfigError(
    undefined,
    "",
    "no cluster configured: set KUBECONFIG, pass --kubeconfig, create ~/.kube/config, or run in a pod",
  );
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}
