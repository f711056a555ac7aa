// In-cluster configuration: the pod's service-account token, CA and namespace, and the API
// address from KUBERNETES_SERVICE_HOST/PORT. The token is re-read as the kubelet rotates it.
import { KubeConfigError } from "../errors.ts";
import type { ClusterConfig } from "./credentials.ts";
import { tokenFileCredentials } from "./token_file.ts";

export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

export interface InClusterOptions {
  /** Where token, ca.crt and namespace live (tests point this at a temp dir). */
  serviceAccountDir?: string;
  env?: Record<string, string | undefined>;
  tokenMaxAgeMs?: number;
}

export function inClusterAvailable(options: InClusterOptions = {}): boolean {
  const env = options.env ?? Deno.env.toObject();
  return Boolean(env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT);
}

export async function loadInClusterConfig(options: InClusterOptions = {}): Promise<ClusterConfig> {
  const env = options.env ?? Deno.env.toObject();
  const dir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new KubeConfigError(
      undefined,
      "in-cluster",
      "KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set: not running in a pod",
    );
  }
  let caPem: string;
  try {
    caPem = await Deno.readTextFile(`${dir}/ca.crt`);
  } catch (e) {
    throw new KubeConfigError(
      `${dir}/ca.crt`,
      "",
      `cannot read the cluster CA: ${(e as Error).message}`,
    );
  }
  let namespace = "default";
  try {
    namespace = (await Deno.readTextFile(`${dir}/namespace`)).trim() || "default";
  } catch {
    // Older clusters did not mount the namespace file; kubectl falls back to "default" too.
  }
  const credentials = tokenFileCredentials(`${dir}/token`, { maxAgeMs: options.tokenMaxAgeMs });
  await credentials.get(); // fail now, with the path, if the token is missing
  const hostPart = host.includes(":") ? `[${host}]` : host; // IPv6 service address
  return {
    server: `https://${hostPart}:${port}`,
    namespace,
    tls: { caPem },
    credentials,
    source: "in-cluster service account",
  };
}
