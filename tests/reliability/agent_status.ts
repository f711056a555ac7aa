// A running agent seen the way an operator sees it: its status through GET /api/v1/status and
// `skiff reconcile` through POST /api/v1/reconcile (the CLI's own client), plus the cluster
// facts the agent-level fault scenarios compare before and after a fault.
import { fetchStatus, requestReconcile } from "../../agent/cli/agent_api.ts";
import type { StatusEntry } from "../../agent/server/mod.ts";
import { type ApiServer, eventually } from "../e2e/harness.ts";

export type { StatusEntry };

export interface AgentHandle {
  /** The agent's HTTP API, e.g. http://127.0.0.1:41234. */
  url: string;
  /** The agent's log lines, shown when a wait times out. */
  logs: string[];
}

/** One object's entry of /api/v1/status (namespace flux-system unless given). */
export async function statusOf(
  agent: AgentHandle,
  kind: string,
  name: string,
  namespace = "flux-system",
): Promise<StatusEntry | undefined> {
  const all = await fetchStatus(agent.url);
  return all.find((s) => s.kind === kind && s.name === name && s.namespace === namespace);
}

/** Polls /api/v1/status until the object's entry satisfies `check`; returns that entry. */
export function waitForStatus(
  agent: AgentHandle,
  kind: string,
  name: string,
  what: string,
  check: (s: StatusEntry) => boolean,
  timeoutMs = 15_000,
): Promise<StatusEntry> {
  let last: StatusEntry | undefined;
  return eventually(
    `${kind} ${name}: ${what}`,
    async () => {
      last = await statusOf(agent, kind, name);
      return last && check(last) ? last : undefined;
    },
    timeoutMs,
    agent.logs,
  ).catch((e) => {
    throw new Error(`${(e as Error).message}\nlast status: ${JSON.stringify(last)}`);
  });
}

/** `skiff reconcile KIND NAME [--with-source]` against the agent's API. */
export async function reconcile(
  agent: AgentHandle,
  kind: string,
  name: string,
  withSource = false,
): Promise<void> {
  await requestReconcile(agent.url, { kind, namespace: "flux-system", name, withSource });
}

/** A cluster object by identity, for resourceVersion snapshots. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
}

/**
 * "kind/name=resourceVersion" of each object (missing ones as "kind/name=absent"): equal
 * snapshots before and after a fault mean nothing was written, created or deleted.
 */
export function resourceVersions(api: ApiServer, refs: ObjectRef[]): string[] {
  return refs.map((r) => {
    const meta = api.store.get(r.apiVersion, r.kind, r.name, r.namespace)?.metadata as
      | { resourceVersion?: string }
      | undefined;
    return `${r.kind}/${r.name}=${meta?.resourceVersion ?? "absent"}`;
  });
}

/**
 * resourceVersions once they stopped changing (a rollout's status updates end quickly), so a
 * later comparison sees only what a fault made the agent do.
 */
export async function settledVersions(api: ApiServer, refs: ObjectRef[]): Promise<string[]> {
  let last = resourceVersions(api, refs);
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const now = resourceVersions(api, refs);
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
  throw new Error(`objects kept changing: ${last.join(", ")}`);
}

/** Data of Kustomization `name`'s inventory ConfigMap in flux-system (revision, inventory). */
export function storedInventory(
  api: ApiServer,
  name: string,
): Record<string, string> | undefined {
  const cm = api.store.get("v1", "ConfigMap", `skiff-ks-flux-system-${name}`, "flux-system");
  return cm?.data as Record<string, string> | undefined;
}
