// `skiff run`: wires the agent together. Config → cluster client → agent core (scheduler and
// reconcilers) → HTTP server (health, metrics, webhooks, status API) → drift watch → leader
// election. Returns a handle whose stop() finishes cleanly (runs in flight end, lease released).
import { type Config, loadConfigFile } from "./config/mod.ts";
import { type ClusterConfig, KubeClient, loadKubeConfig } from "../lib/kube/mod.ts";
import type { Logger } from "../lib/log/mod.ts";
import { AgentCore, errorText } from "./agent.ts";
import { DriftWatcher } from "./drift/mod.ts";
import { LeaderElector, presenceLeaseName, presenceMetrics, PresenceRecord } from "./leader/mod.ts";
import { AgentServer, Metrics } from "./server/mod.ts";
import { defaultCacheDir } from "./cache_dir.ts";
import { EventRecorder } from "./events/mod.ts";

export interface AgentOptions {
  configPath: string;
  logger: Logger;
  /** Overrides Agent.spec.cluster (a test's emulator, `--kubeconfig`). */
  kubeconfig?: string;
  context?: string;
  /** Overrides Agent.spec.server.address; "" disables the server. */
  serverAddress?: string;
  cacheDir?: string;
  /** Overrides the identity used for leader election (default: hostname and pid). */
  identity?: string;
  /** How often the presence record is renewed without leader election (default 10 s). */
  presencePeriodMs?: number;
}

export interface RunningAgent {
  core: AgentCore;
  server?: AgentServer;
  metrics: Metrics;
  /** The server's bound port (useful with address ":0"). */
  port?: number;
  /** Re-reads the config file; on an invalid file keeps the running config and throws. */
  reload(): Promise<void>;
  /** Resolves when the agent has stopped (stop() or a fatal error). */
  stopped: Promise<void>;
  stop(): Promise<void>;
}

export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const logger = options.logger;
  const config = await loadConfigFile(options.configPath);
  const agentSpec = config.agent;
  const cluster: ClusterConfig = await loadKubeConfig({
    kubeconfig: options.kubeconfig ?? agentSpec.cluster.kubeconfig,
    context: options.context ?? agentSpec.cluster.context,
    inCluster: options.kubeconfig ? false : agentSpec.cluster.inCluster,
  });
  const client = new KubeClient(cluster, { userAgent: "skiff-agent" });
  const cacheDir = options.cacheDir ?? agentSpec.cacheDir ?? defaultCacheDir();
  const core = new AgentCore({ config, client, logger, cacheDir });
  const metrics = new Metrics(core);
  const drift = new DriftWatcher(core, metrics);
  core.env.drift = drift;
  const identity = options.identity ?? `${Deno.hostname()}-${Deno.pid}`;
  const events = new EventRecorder(core, {
    involvedObject: agentSpec.leaderElection.enabled
      ? {
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        name: leaseName(agentSpec.leaderElection.leaseName, agentSpec.shard),
        namespace: agentSpec.leaderElection.namespace ?? agentSpec.namespace,
      }
      : { apiVersion: "v1", kind: "ConfigMap", name: "skiff", namespace: agentSpec.namespace },
    instance: identity,
  });

  let leader: LeaderElector | undefined;
  // Without leader election a second agent on the cluster is found and reported through it.
  const presence = agentSpec.leaderElection.enabled ? undefined : new PresenceRecord(client, {
    namespace: agentSpec.namespace,
    name: presenceLeaseName(agentSpec.shard),
    identity,
    periodMs: options.presencePeriodMs,
    logger,
  });
  if (presence) metrics.addSource(() => presenceMetrics(presence));
  const readiness = () => !agentSpec.leaderElection.enabled || (leader?.isLeader ?? false);
  const address = options.serverAddress ?? agentSpec.server.address;
  let server: AgentServer | undefined;
  if (address !== "") {
    server = new AgentServer({
      core,
      metrics,
      logger,
      ready: readiness,
      warnings: () => presence?.conflict ? [presence.conflict.message] : [],
    });
    await server.listen(address).catch((e) => {
      // Nothing else runs yet; the client's connections must not outlive the failed start.
      client.transport.close();
      throw e;
    });
    logger.info("serving health, metrics, webhooks and status", { address: server.address });
  }

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  let stopping: Promise<void> | undefined;

  const startWork = async () => {
    await core.start();
    drift.start();
  };
  if (agentSpec.leaderElection.enabled) {
    // The Lease needs its namespace; a fresh cluster may not have it yet.
    await core.inventories.ensureNamespace();
    leader = new LeaderElector(client, {
      namespace: agentSpec.leaderElection.namespace ?? agentSpec.namespace,
      name: leaseName(agentSpec.leaderElection.leaseName, agentSpec.shard),
      identity,
      leaseDuration: agentSpec.leaderElection.leaseDuration,
      renewDeadline: agentSpec.leaderElection.renewDeadline,
      retryPeriod: agentSpec.leaderElection.retryPeriod,
      logger,
      onStartedLeading: () => {
        logger.info("became leader; reconciling");
        startWork().catch((e) => logger.error("starting failed", { error: errorText(e) }));
      },
      onStoppedLeading: () => {
        logger.warn("lost leadership; pausing");
        core.pause();
        drift.stop();
      },
    });
    leader.start();
  } else {
    await startWork();
    presence?.start();
  }

  const running: RunningAgent = {
    core,
    server,
    metrics,
    port: server?.port,
    stopped,
    async reload() {
      let next: Config;
      try {
        next = await loadConfigFile(options.configPath);
      } catch (e) {
        logger.error("config reload failed; keeping the running config", { error: errorText(e) });
        throw e;
      }
      const result = await core.reload(next);
      logger.info("config reloaded", {
        added: result.added.length,
        removed: result.removed.length,
        changed: result.changed.length,
      });
    },
    stop() {
      stopping ??= (async () => {
        drift.stop();
        await core.stop();
        // Deliveries in flight get a moment, not the whole shutdown budget.
        await Promise.race([events.flush(), new Promise((r) => setTimeout(r, 5_000))]);
        await leader?.stop();
        await presence?.stop();
        await server?.close();
        client.transport.close();
        resolveStopped();
      })();
      return stopping;
    },
  };
  return running;
}

/** Each shard campaigns for its own Lease. */
function leaseName(base: string, shard: string | undefined): string {
  return shard ? `${base}-${shard}` : base;
}
