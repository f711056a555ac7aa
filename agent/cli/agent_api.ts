// Talking to a running agent's HTTP API (`skiff status`, `skiff reconcile`).
import type { StatusEntry } from "../server/mod.ts";
import { CommandError } from "./output.ts";

export const DEFAULT_AGENT_URL = "http://127.0.0.1:9090";

export async function fetchStatus(baseUrl: string): Promise<StatusEntry[]> {
  return (await fetchStatusReport(baseUrl)).objects;
}

/** Every object, and warnings about the agent itself (another agent on the cluster). */
export async function fetchStatusReport(
  baseUrl: string,
): Promise<{ objects: StatusEntry[]; warnings: string[] }> {
  const body = await call(baseUrl, "/api/v1/status", { method: "GET" });
  const report = body as { objects: StatusEntry[]; warnings?: string[] };
  return { objects: report.objects, warnings: report.warnings ?? [] };
}

export async function requestReconcile(
  baseUrl: string,
  target: { kind: string; namespace: string; name: string; withSource: boolean },
): Promise<string> {
  const body = await call(baseUrl, "/api/v1/reconcile", {
    method: "POST",
    body: JSON.stringify(target),
    headers: { "content-type": "application/json" },
  });
  return (body as { triggered: string }).triggered;
}

async function call(baseUrl: string, path: string, init: RequestInit): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(baseUrl.replace(/\/+$/, "") + path, init);
  } catch (e) {
    throw new CommandError(
      `cannot reach the agent at ${baseUrl} (${e instanceof Error ? e.message : e}); ` +
        "is `skiff run` running? Pass --agent-url to point elsewhere",
    );
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new CommandError(`the agent at ${baseUrl} answered ${response.status}: ${text.trim()}`);
  }
  if (!response.ok) {
    const error = (body as { error?: string }).error ?? text.trim();
    throw new CommandError(error, response.status === 404 ? 1 : 2);
  }
  return body;
}
