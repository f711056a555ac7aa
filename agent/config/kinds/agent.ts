// Agent (skiff.dev): skiff's own settings. At most one per file; every field is optional.
import {
  boolean,
  duration,
  enumOf,
  integer,
  namespaceName,
  object,
  objectName,
  type ObjectOf,
  string,
} from "../schema/mod.ts";
import type { KindDefinition } from "./kind.ts";

const v1alpha1 = object({
  cluster: object({
    kubeconfig: string().optional().doc(
      "kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)",
    ),
    context: string().optional().doc("kubeconfig context (default: the current context)"),
    inCluster: boolean().default(false).doc("use the pod's service account instead"),
  }).default({}).refine((c, path, ctx) => {
    if (c.inCluster && (c.kubeconfig !== undefined || c.context !== undefined)) {
      ctx.report(path, "inCluster cannot be combined with kubeconfig or context");
    }
  }).doc("how skiff reaches the cluster"),
  concurrency: integer({ min: 1, max: 64 }).default(4).doc("objects reconciled at the same time"),
  server: object({
    address: string({
      pattern: {
        regexp: /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]*):[0-9]{1,5}$/,
        expected: 'a listen address such as ":9090" or "127.0.0.1:9090"',
      },
    }).default(":9090").doc("listen address of health, metrics, webhooks and the status API"),
    statusPage: object({
      enabled: boolean().default(true).doc("serve the read-only status page at /ui/"),
      // Read once at start from the agent's own namespace (spec.namespace), not a Flux
      // object's: the page belongs to the agent.
      authSecretRef: object({
        name: objectName().doc("name of the Secret"),
      }).optional().doc(
        "Secret in the agent's namespace: username and password (basic auth) and/or token; unset: open",
      ),
    }).default({}).doc("the read-only status page (/ui/)"),
  }).default({}).doc("the HTTP server"),
  webhooks: object({
    enabled: boolean().default(true).doc("serve Receiver webhooks at /hook/<digest>"),
  }).default({}).doc("incoming webhooks (Receivers)"),
  leaderElection: object({
    enabled: boolean().default(false).doc("run active only while holding a Lease"),
    leaseName: string().default("skiff").doc("name of the Lease"),
    namespace: namespaceName().optional().doc(
      "namespace of the Lease (default: the agent's namespace)",
    ),
    leaseDuration: duration().default("35s").doc("how long a Lease is valid without renewal"),
    renewDeadline: duration().default("30s").doc("how long the leader tries to renew"),
    retryPeriod: duration().default("5s").doc("how often candidates try to acquire"),
  }).default({}).doc("leader election between replicas"),
  shard: string().optional().doc(
    "only reconcile objects labelled sharding.fluxcd.io/key=<shard>",
  ),
  cacheDir: string().optional().doc(
    "where sources are cached (default: $XDG_CACHE_HOME/skiff or ~/.cache/skiff)",
  ),
  log: object({
    level: enumOf("debug", "info", "warn", "error").default("info").doc("lowest level logged"),
    format: enumOf("text", "json").default("text").doc("log line format"),
  }).default({}).doc("logging; --log-level and --log-format on the command line win"),
  noCrossNamespaceRefs: boolean().default(false).doc(
    "reject references to objects in other namespaces (multi-tenancy lockdown)",
  ),
  namespace: namespaceName().default("flux-system").doc("the agent's own namespace"),
});

export type AgentSpec = ObjectOf<typeof v1alpha1.shape>;

export const agentKind: KindDefinition<"Agent", AgentSpec> = {
  kind: "Agent",
  description:
    "skiff's own settings: cluster access, concurrency, HTTP server, leader election, logging. At most one.",
  specRequired: false,
  versions: [{
    apiVersion: "skiff.dev/v1alpha1",
    spec: v1alpha1,
    // The Lease lives in the agent's namespace unless told otherwise.
    normalize: (spec) => {
      const s = spec as AgentSpec;
      return {
        ...s,
        leaderElection: {
          ...s.leaderElection,
          namespace: s.leaderElection.namespace ?? s.namespace,
        },
      };
    },
    notes: [],
  }],
};
