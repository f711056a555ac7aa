// The world of an end-to-end story: the Kubernetes API emulator, a real Git server with a
// repository, a config file and a running agent, all torn down by stop().
import { startApiServer } from "../apiserver/mod.ts";
import { createRepo, startGitServer, type TestRepo } from "../support/git_server.ts";
import { type RunningAgent, startAgent } from "../../agent/run.ts";
import { KubeClient, loadKubeConfig } from "../../lib/kube/mod.ts";
import { Logger, type LogSink } from "../../lib/log/mod.ts";

export type ApiServer = Awaited<ReturnType<typeof startApiServer>>;

export interface World {
  api: ApiServer;
  repo: TestRepo;
  repoUrl: string;
  dir: string;
  configPath: string;
  logs: string[];
  agent?: RunningAgent;
  startAgent(options?: AgentOptions): Promise<RunningAgent>;
  stop(): Promise<void>;
}

/** What a story may set on an agent it starts (the rest comes from the world). */
export interface AgentOptions {
  identity?: string;
  serverAddress?: string;
  /** How often the presence record is renewed (the agent's default: 10 s). */
  presencePeriodMs?: number;
}

export async function startWorld(
  files: Record<string, string>,
  config: (repoUrl: string) => string,
): Promise<World> {
  const dir = await Deno.makeTempDir({ prefix: "skiff-e2e-" });
  const api = await startApiServer({ rolloutDelayMs: 50 });
  const git = await startGitServer({ root: `${dir}/git` });
  const repo = await createRepo(`${dir}/git`, "fleet", files);
  const repoUrl = git.url("fleet");
  const configPath = `${dir}/skiff.yaml`;
  await Deno.writeTextFile(configPath, config(repoUrl));
  const logs: string[] = [];
  const sink: LogSink = { write: (line) => logs.push(line) };
  const agents: RunningAgent[] = [];
  // Counted before the await, so agents started together get their own caches.
  let started = 0;
  const world: World = {
    api,
    repo,
    repoUrl,
    dir,
    configPath,
    logs,
    async startAgent(options = {}) {
      const agent = await startAgent({
        configPath,
        logger: new Logger({ level: "debug", sink }),
        kubeconfig: api.kubeconfigPath,
        serverAddress: options.serverAddress ?? "127.0.0.1:0",
        cacheDir: `${dir}/cache-${started++}`,
        identity: options.identity,
        presencePeriodMs: options.presencePeriodMs,
      });
      agents.push(agent);
      world.agent ??= agent;
      return agent;
    },
    async stop() {
      for (const a of agents) await a.stop();
      await git.stop();
      await api.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
  return world;
}

/** Test options for stories: child processes and servers make the sanitizers misfire. */
export const e2eOpts = { sanitizeResources: false, sanitizeOps: false };

/** Joins Flux documents into one multi-document config file. */
export function configOf(...docs: string[]): string {
  return docs.join("---\n");
}

/**
 * The usual story config: the `fleet` GitRepository, a Kustomization `apps` of ./apps into the
 * default namespace, and any further documents.
 */
export function appsConfig(
  url: string,
  sourceInterval: string,
  kustomizationInterval = "1h",
  ...more: string[]
): string {
  return configOf(
    gitRepository(url, sourceInterval),
    kustomization("apps", "./apps", { targetNamespace: "default" }, kustomizationInterval),
    ...more,
  );
}

/**
 * Creates the flux-system namespace and, in it, one Secret per entry of `secrets` (values in
 * plain text, stored base64-encoded in `data` as the API server stores them).
 */
export function seedFluxSystem(
  api: ApiServer,
  secrets: Record<string, Record<string, string>> = {},
): void {
  api.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "flux-system" } });
  for (const [name, values] of Object.entries(secrets)) createSecret(api, name, values);
}

/** Creates Secret `name` in flux-system with `values` (plain text) base64-encoded in `data`. */
export function createSecret(api: ApiServer, name: string, values: Record<string, string>): void {
  const base64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));
  api.store.create({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace: "flux-system" },
    data: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, base64(v)])),
  });
}

/** A client of the emulator with its admin kubeconfig, as a user's kubectl would be. */
export async function adminClient(api: ApiServer): Promise<KubeClient> {
  return new KubeClient(await loadKubeConfig({ kubeconfig: api.kubeconfigPath, env: {} }));
}

/** spec.replicas of Deployment `name` in default, undefined while it does not exist. */
export function replicasOf(api: ApiServer, name: string): number | undefined {
  return (api.store.get("apps/v1", "Deployment", name, "default")?.spec as {
    replicas?: number;
  })?.replicas;
}

/** The first container's image of Deployment `name` in default, undefined while it does not exist. */
export function imageOf(api: ApiServer, name: string): string | undefined {
  return (api.store.get("apps/v1", "Deployment", name, "default")?.spec as {
    template: { spec: { containers: { image: string }[] } };
  } | undefined)?.template.spec.containers[0].image;
}

/** Polls `check` until it returns a value (not undefined/false) or the time is up. */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
  logs?: string[],
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${logs ? "\n" + logs.slice(-30).join("\n") : ""}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function deployment(name: string, replicas = 1, image = "nginx:1.25"): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: app
          image: ${image}
`;
}

export function configMap(name: string, data: Record<string, string>): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data: ${JSON.stringify(data)}
`;
}

export function gitRepository(url: string, interval = "1m"): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: fleet, namespace: flux-system}
spec:
  interval: ${interval}
  url: ${url}
  ref: {branch: main}
`;
}

export function kustomization(
  name: string,
  path: string,
  extra: Record<string, unknown> = {},
  interval = "1m",
): string {
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: flux-system}
spec: ${
    JSON.stringify({
      interval,
      path,
      prune: true,
      sourceRef: { kind: "GitRepository", name: "fleet" },
      ...extra,
    })
  }
`;
}

/** ImageUpdateAutomation `fleet`: commits as skiff with `messageTemplate` and pushes to main. */
export function imageUpdateAutomation(
  messageTemplate: string,
  apiVersion = "image.toolkit.fluxcd.io/v1beta2",
): string {
  return `apiVersion: ${apiVersion}
kind: ImageUpdateAutomation
metadata: {name: fleet, namespace: flux-system}
spec:
  interval: 1h
  sourceRef: {kind: GitRepository, name: fleet}
  git:
    checkout: {ref: {branch: main}}
    commit:
      author: {email: skiff@example.com, name: skiff}
      messageTemplate: ${JSON.stringify(messageTemplate)}
    push: {branch: main}
`;
}
