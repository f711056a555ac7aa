// The Kubernetes API emulator for tests: startApiServer() serves the API over HTTPS (own CA)
// or HTTP on 127.0.0.1, with a ready kubeconfig, tokens, faults, stats and direct store access.
import { Api } from "./api.ts";
import { handleAdmin } from "./admin.ts";
import { Authenticator } from "./auth/authn.ts";
import { bootstrapRbac } from "./auth/bootstrap.ts";
import { RbacAuthorizer } from "./auth/rbac.ts";
import { Catalog, storageKey } from "./catalog.ts";
import { ControllerContext, Controllers, printerColumnsOf } from "./controllers/mod.ts";
import { Faults } from "./faults.ts";
import { type HttpsServer, serveHttps } from "./https_server.ts";
import type { FaultControl } from "./faults.ts";
import { kubeconfigText } from "./kubeconfig.ts";
import { meta } from "./objects.ts";
import { Server, type Stats } from "./server.ts";
import type { JsonObject } from "./ssa/typed.ts";
import { ObjectStore } from "./store.ts";
import { type ClientCertificate, clientCertificate, servingCerts } from "./tls.ts";
import { Watches } from "./watch.ts";

export type { FaultControl, FaultMatch, FaultRule, FaultState } from "./faults.ts";
export type { ClientCertificate } from "./tls.ts";
export type { JsonObject } from "./ssa/typed.ts";
export { FAIL_ANNOTATION } from "./controllers/mod.ts";

export interface ApiServerOptions {
  /** Default true: HTTPS with the emulator's own CA on 127.0.0.1; false = plain HTTP. */
  tls?: boolean;
  /** Default 0 = a free port. */
  port?: number;
  /** Simulated controllers: time until workloads are ready (default 100 ms). */
  rolloutDelayMs?: number;
  /** Workloads get ReplicaSets and Running, Ready Pods (default true); no containers run. */
  simulatePods?: boolean;
  /** Seed for the deterministic fault draws. */
  seed?: number;
  /** Optional JSON state file: loaded at start when it exists, written at stop. */
  snapshotFile?: string;
  /** Where the kubeconfig is written (default: a temporary file removed at stop). */
  kubeconfigPath?: string;
  /** A fixed admin token (default: a random one). */
  adminToken?: string;
}

/** Direct access to the state for tests, without HTTP or authorization. */
export interface EmulatorStore {
  get(apiVersion: string, kind: string, name: string, namespace?: string): JsonObject | undefined;
  list(apiVersion: string, kind: string, namespace?: string): JsonObject[];
  /** Creates an object as the admin would (defaults, validation, managedFields by `manager`). */
  create(obj: JsonObject, manager?: string): JsonObject;
  count(): number;
  readonly resourceVersion: number;
  /** Forgets the watch history, so watches from older versions get 410 Gone. */
  compact(): void;
}

export interface ApiServer {
  url: string;
  caFile: string;
  caPem: string;
  adminToken: string;
  kubeconfigPath: string;
  tokenFor(user: string, groups?: string[]): string;
  /** A TLS client certificate for a user (CN) and groups (O), signed by the emulator's CA. */
  clientCertFor(user: string, groups?: string[]): Promise<ClientCertificate>;
  faults: FaultControl;
  stats: Stats;
  store: EmulatorStore;
  stop(): Promise<void>;
}

/** HTTPS through node:https (see https_server.ts), plain HTTP through Deno.serve. */
async function listen(
  port: number,
  certs: { cert: string; key: string; caPem: string } | undefined,
  handler: (req: Request) => Promise<Response>,
): Promise<HttpsServer> {
  if (certs) {
    return await serveHttps(
      { hostname: "127.0.0.1", port, cert: certs.cert, key: certs.key, clientCa: certs.caPem },
      handler,
    );
  }
  const abort = new AbortController();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port,
    signal: abort.signal,
    onListen: () => {},
  }, handler);
  return {
    port: (server.addr as Deno.NetAddr).port,
    close: async () => {
      abort.abort();
      await server.finished;
    },
  };
}

const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

interface Snapshot {
  resourceVersion: number;
  objects: Record<string, JsonObject[]>;
}

export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const tls = options.tls ?? true;
  const certs = tls ? await servingCerts() : undefined;
  const store = new ObjectStore();
  const catalog = new Catalog();
  const stats: Stats = { requests: 0, writes: 0, byVerb: {} };
  const api = new Api(store, catalog, () => {});
  const faults = new Faults(options.seed ?? 1);
  const authn = new Authenticator((sa) => {
    const rt = catalog.versionsOf("", "serviceaccounts")[0];
    const o = rt && api.tryGet(rt, sa.namespace, sa.name);
    return !!o && String(meta(o).uid) === sa.uid;
  });
  const adminToken = options.adminToken ?? authn.tokenFor("admin", ["system:masters"]);
  if (options.adminToken) {
    authn.addToken(adminToken, {
      name: "admin",
      groups: ["system:masters", "system:authenticated"],
    });
  }
  const rbacType = (resource: string) =>
    catalog.versionsOf("rbac.authorization.k8s.io", resource)[0];
  const authz = new RbacAuthorizer({
    clusterRoles: () => store.list(storageKey("rbac.authorization.k8s.io", "clusterroles")),
    clusterRoleBindings: () =>
      store.list(storageKey("rbac.authorization.k8s.io", "clusterrolebindings")),
    roles: (ns) => store.list(storageKey("rbac.authorization.k8s.io", "roles"), ns),
    roleBindings: (ns) => store.list(storageKey("rbac.authorization.k8s.io", "rolebindings"), ns),
  });
  const ctx = new ControllerContext(
    api,
    catalog,
    options.rolloutDelayMs ?? 100,
    options.simulatePods ?? true,
  );
  const controllers = new Controllers(ctx, catalog, authn, certs?.caPem ?? "");
  const watches = new Watches(api);

  let restored = false;
  if (options.snapshotFile) {
    try {
      const snap = JSON.parse(await Deno.readTextFile(options.snapshotFile)) as Snapshot;
      store.restore(snap);
      restored = true;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  store.subscribe((e) => controllers.observe(e));
  if (restored) {
    // Served CRDs and pending controller work come back from the restored objects.
    for (const key of store.keys()) {
      for (const o of store.list(key)) {
        controllers.observe({
          type: "MODIFIED",
          key,
          namespace: String(meta(o).namespace ?? ""),
          object: o,
          rv: 0,
        });
      }
    }
  } else {
    const nsType = catalog.versionsOf("", "namespaces")[0];
    for (const name of SYSTEM_NAMESPACES) {
      api.create(nsType, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name } }, {
        fieldManager: "kube-apiserver",
      });
    }
    // One Ready node, so `kubectl get nodes` and schedulers' views look like a cluster.
    const nodeType = catalog.versionsOf("", "nodes")[0];
    const node = api.create(nodeType, undefined, {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name: "emulator-node",
        labels: {
          "kubernetes.io/hostname": "emulator-node",
          "kubernetes.io/os": "linux",
          "kubernetes.io/arch": "amd64",
          "node-role.kubernetes.io/control-plane": "",
        },
      },
      spec: { podCIDR: "10.244.0.0/24" },
    }, { fieldManager: "kubelet" });
    ctx.writeStatus(nodeType, node, {
      conditions: [{
        type: "Ready",
        status: "True",
        reason: "KubeletReady",
        message: "kubelet is posting ready status",
        lastHeartbeatTime: meta(node).creationTimestamp,
        lastTransitionTime: meta(node).creationTimestamp,
      }],
      addresses: [{ type: "InternalIP", address: "127.0.0.1" }, {
        type: "Hostname",
        address: "emulator-node",
      }],
      capacity: { cpu: "4", memory: "8Gi", pods: "110" },
      allocatable: { cpu: "4", memory: "8Gi", pods: "110" },
      nodeInfo: {
        kubeletVersion: "v1.34.0",
        containerRuntimeVersion: "containerd://2.1.0",
        operatingSystem: "linux",
        architecture: "amd64",
        osImage: "Emulated",
        kernelVersion: "6.1.0",
        kubeProxyVersion: "",
        machineID: "",
        systemUUID: "",
        bootID: "",
      },
    });
    // Every cluster has the API server's own Service in "default".
    api.create(catalog.versionsOf("", "services")[0], "default", {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "kubernetes", labels: { component: "apiserver", provider: "kubernetes" } },
      spec: { clusterIP: "10.96.0.1", ports: [{ name: "https", port: 443, targetPort: 6443 }] },
    }, { fieldManager: "kube-apiserver" });
    for (const o of bootstrapRbac()) {
      const rt = rbacType(o.kind === "ClusterRole" ? "clusterroles" : "clusterrolebindings");
      api.create(rt, undefined, o, { fieldManager: "kube-apiserver" });
    }
  }

  const writeSnapshot = async () => {
    if (options.snapshotFile) {
      await Deno.writeTextFile(options.snapshotFile, JSON.stringify(store.snapshot()));
    }
  };
  let url = "";
  const server = new Server({
    api,
    catalog,
    authn,
    authz,
    faults,
    watches,
    stats,
    serverAddress: () => url.replace(/^https?:\/\//, ""),
    admin: (req, u) =>
      handleAdmin({ stats, faults, authn, store, snapshot: writeSnapshot }, req, u),
    crdPrinterColumns: (rt) => {
      if (!rt.crdName) return undefined;
      const crdType = catalog.versionsOf("apiextensions.k8s.io", "customresourcedefinitions")[0];
      return printerColumnsOf(api.tryGet(crdType, undefined, rt.crdName), rt.version);
    },
  });
  const listening = await listen(options.port ?? 0, certs, (req) => server.handle(req));
  url = `${tls ? "https" : "http"}://127.0.0.1:${listening.port}`;

  let kubeconfigPath = options.kubeconfigPath;
  let ownKubeconfig = false;
  if (!kubeconfigPath) {
    kubeconfigPath = await Deno.makeTempFile({ prefix: "emulator-kubeconfig-", suffix: ".yaml" });
    ownKubeconfig = true;
  }
  await Deno.writeTextFile(kubeconfigPath, kubeconfigText(url, certs?.caPem, adminToken));

  const emulatorStore: EmulatorStore = {
    get(apiVersion, kind, name, namespace) {
      const rt = catalog.findKind(apiVersion, kind);
      return rt ? api.tryGet(rt, namespace, name) : undefined;
    },
    list(apiVersion, kind, namespace) {
      const rt = catalog.findKind(apiVersion, kind);
      return rt ? api.list(rt, namespace).items : [];
    },
    create(obj, manager = "emulator-test") {
      const rt = catalog.findKind(String(obj.apiVersion), String(obj.kind));
      if (!rt) throw new Error(`the emulator does not serve ${obj.apiVersion} ${obj.kind}`);
      const ns = (obj.metadata as JsonObject | undefined)?.namespace as string | undefined;
      return api.create(rt, rt.namespaced ? ns ?? "default" : undefined, obj, {
        fieldManager: manager,
      });
    },
    count: () => store.count(),
    get resourceVersion() {
      return store.resourceVersion;
    },
    compact: () => store.compact(),
  };

  let stopped = false;
  return {
    url,
    caFile: certs?.caFile ?? "",
    caPem: certs?.caPem ?? "",
    adminToken,
    kubeconfigPath,
    tokenFor: (user, groups) => authn.tokenFor(user, groups),
    clientCertFor: (user, groups = []) => {
      if (!tls) throw new Error("client certificates need the HTTPS emulator (tls: true)");
      return clientCertificate(user, groups);
    },
    faults,
    stats,
    store: emulatorStore,
    async stop() {
      if (stopped) return;
      stopped = true;
      controllers.stop();
      watches.closeAll();
      await listening.close();
      await writeSnapshot();
      if (ownKubeconfig) await Deno.remove(kubeconfigPath!).catch(() => {});
    },
  };
}
