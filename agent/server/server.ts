// The agent's one HTTP port: /healthz, /readyz, /metrics, /hook/<digest> (Receivers),
// /api/v1/status (every object) and POST /api/v1/reconcile (used by `skiff reconcile`), and
// the read-only status page at /ui/ (Agent spec.server.statusPage).
import type { AgentCore } from "../agent.ts";
import type { Logger } from "../../lib/log/mod.ts";
import { explainWaiting, objectKey } from "../status/mod.ts";
import type { Metrics } from "./metrics.ts";
import { ReceiverRoutes } from "./receivers.ts";
import { readSecretData } from "../cluster/secrets.ts";
import {
  createStatusPage,
  type StatusPageAuth,
  statusPageAuthFromSecret,
  type StatusPageHandler,
  statusPageSourceFromAgent,
} from "../ui/mod.ts";

export interface AgentServerOptions {
  core: AgentCore;
  metrics: Metrics;
  logger: Logger;
  /** Ready = config loaded and, with leader election, leading. */
  ready(): boolean;
  /** Problems of the agent itself (another agent on the cluster), for /api/v1/status. */
  warnings?(): string[];
}

/** One object in /api/v1/status. */
export interface StatusEntry {
  kind: string;
  namespace: string;
  name: string;
  ready: string;
  reason: string;
  message: string;
  suspended: boolean;
  revision?: string;
  lastAttemptedRevision?: string;
  lastError?: string;
  lastAppliedTime?: string;
  lastReconcileTime?: string;
  nextReconcileTime?: string;
  inventorySize?: number;
}

export class AgentServer {
  readonly receivers: ReceiverRoutes;
  #statusPage?: StatusPageHandler;
  #statusPageSource?: { close(): void };
  readonly #o: AgentServerOptions;
  #server?: Deno.HttpServer<Deno.NetAddr>;
  #abort = new AbortController();
  #refresh?: ReturnType<typeof setInterval>;

  constructor(options: AgentServerOptions) {
    this.#o = options;
    this.receivers = new ReceiverRoutes(options.core);
  }

  get port(): number | undefined {
    return this.#server?.addr.port;
  }

  get address(): string {
    const a = this.#server?.addr;
    return a ? `${a.hostname}:${a.port}` : "";
  }

  async listen(address: string): Promise<void> {
    const colon = address.lastIndexOf(":");
    const host = address.slice(0, colon).replace(/^\[|\]$/g, "") || "0.0.0.0";
    const port = Number(address.slice(colon + 1));
    // First, so a missing or malformed auth Secret stops the start before anything runs.
    await this.#mountStatusPage();
    await this.receivers.refresh();
    // Receiver Secrets may be created or rotated after start.
    this.#refresh = setInterval(() => this.receivers.refresh(), 30_000);
    Deno.unrefTimer(this.#refresh);
    await new Promise<void>((resolve) => {
      this.#server = Deno.serve({
        hostname: host,
        port,
        signal: this.#abort.signal,
        onListen: () => resolve(),
      }, (req) => this.#handle(req));
    });
  }

  async close(): Promise<void> {
    clearInterval(this.#refresh);
    this.#statusPageSource?.close();
    this.#abort.abort();
    await this.#server?.finished;
  }

  /**
   * Mounts the status page unless disabled. Its credentials are read once, here: a page that
   * is meant to be protected must never be served open because the Secret could not be read,
   * so a missing or malformed Secret fails the start (SecretNotFoundError,
   * StatusPageAuthError).
   */
  async #mountStatusPage(): Promise<void> {
    const { core, logger } = this.#o;
    const settings = core.config.agent.server.statusPage;
    if (!settings.enabled) return;
    let auth: StatusPageAuth | undefined;
    if (settings.authSecretRef) {
      const namespace = core.config.agent.namespace;
      const name = settings.authSecretRef.name;
      // readSecretData decodes and masks every value in the logs; handing the decoded values
      // over as stringData lets statusPageAuthFromSecret apply its own rules unchanged.
      const data = await readSecretData(
        core.client,
        namespace,
        name,
        "Agent spec.server.statusPage.authSecretRef",
        logger.secrets,
      );
      auth = statusPageAuthFromSecret({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name, namespace },
        stringData: data,
      });
    }
    const source = statusPageSourceFromAgent(core, { warnings: () => this.#o.warnings?.() ?? [] });
    this.#statusPageSource = source;
    this.#statusPage = createStatusPage(source, { auth });
  }

  async #handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const path = url.pathname;
    try {
      if (path === "/healthz") return text("ok\n");
      if (path === "/readyz") {
        return this.#o.ready() ? text("ok\n") : text("not ready: not the leader\n", 503);
      }
      if (path === "/metrics") {
        return new Response(this.#o.metrics.render(), {
          headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
        });
      }
      if (path.startsWith("/hook/") && this.#o.core.config.agent.webhooks.enabled) {
        return await this.receivers.handle(req, path);
      }
      if (path === "/api/v1/status") {
        const warnings = this.#o.warnings?.() ?? [];
        return jsonResponse({ objects: this.statusEntries(), warnings });
      }
      if (path === "/api/v1/reconcile" && req.method === "POST") return await this.#reconcile(req);
      const page = await this.#statusPage?.(req); // the read-only status page: / and /ui/...
      if (page) return page;
      return text("not found\n", 404);
    } catch (e) {
      this.#o.logger.error("request failed", {
        path,
        error: e instanceof Error ? e.message : String(e),
      });
      return text("internal error\n", 500);
    }
  }

  statusEntries(): StatusEntry[] {
    const { core } = this.#o;
    return core.statuses.all().map((s) => {
      const key = objectKey(s.kind, s.namespace, s.name);
      const next = core.scheduler.nextRun(key);
      const message = s.reason === "DependencyNotReady"
        ? explainWaiting(core.statuses, key) ?? s.message
        : s.message;
      return {
        kind: s.kind,
        namespace: s.namespace,
        name: s.name,
        ready: s.ready,
        reason: s.reason,
        message,
        suspended: s.suspended,
        revision: s.revision,
        lastAttemptedRevision: s.lastAttemptedRevision,
        lastError: s.lastError,
        lastAppliedTime: s.lastAppliedTime,
        lastReconcileTime: s.lastReconcileTime,
        nextReconcileTime: next ? new Date(next).toISOString() : undefined,
        inventorySize: s.inventorySize,
      };
    });
  }

  /** {kind?, namespace?, name, withSource?}: kind defaults to Kustomization, namespace to flux-system. */
  async #reconcile(req: Request): Promise<Response> {
    let body: { kind?: string; namespace?: string; name?: string; withSource?: boolean };
    try {
      body = await req.json();
    } catch {
      return jsonResponse(
        { error: "the body must be JSON: {kind, namespace, name, withSource}" },
        400,
      );
    }
    if (!body.name) return jsonResponse({ error: "name is required" }, 400);
    const kind = body.kind ?? "Kustomization";
    const namespace = body.namespace ?? "flux-system";
    const key = objectKey(kind, namespace, body.name);
    if (!this.#o.core.reconcileNow(key, "requested", body.withSource ?? false)) {
      return jsonResponse({
        error: `${kind} ${namespace}/${body.name} is not reconciled by this agent`,
      }, 404);
    }
    return jsonResponse({ triggered: key }, 202);
  }
}

function text(body: string, status = 200): Response {
  return new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

function jsonResponse(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value, null, 2) + "\n", {
    status,
    headers: { "content-type": "application/json" },
  });
}
