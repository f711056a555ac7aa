// Starts the API emulator (tests/apiserver) and a KubeClient for it, as the e2e tests need.
import { startApiServer } from "../../apiserver/mod.ts";
import { KubeClient, type KubeClientOptions, loadKubeConfig } from "../../../lib/kube/mod.ts";

export type ApiServer = Awaited<ReturnType<typeof startApiServer>>;

export interface Cluster {
  server: ApiServer;
  client: KubeClient;
  stop(): Promise<void>;
}

/** An emulator over TLS and an admin client loaded from its kubeconfig. */
export async function startCluster(
  options: Parameters<typeof startApiServer>[0] = {},
  clientOptions: KubeClientOptions = {},
): Promise<Cluster> {
  const server = await startApiServer({ tls: true, ...options });
  const config = await loadKubeConfig({ kubeconfig: server.kubeconfigPath, env: {} });
  const client = new KubeClient(config, {
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    ...clientOptions,
  });
  return {
    server,
    client,
    async stop() {
      client.transport.close();
      await server.stop();
    },
  };
}

/** Runs a test body against a fresh cluster and always stops it. */
export function withCluster(
  body: (cluster: Cluster) => Promise<void>,
  options: Parameters<typeof startApiServer>[0] = {},
): () => Promise<void> {
  return async () => {
    const cluster = await startCluster(options);
    try {
      await body(cluster);
    } finally {
      await cluster.stop();
    }
  };
}
