// Receivers: each one gets Flux's generated path, /hook/sha256(token + name + namespace), from
// the token in its Secret. A verified request triggers its resources now; a bad one is refused
// with 401 and triggers nothing. The body is bounded (size and time, body_limit.ts) before the
// signature over it is checked: 413 or 408, and nothing triggered.
import type { Receiver } from "../config/mod.ts";
import type { AgentCore } from "../agent.ts";
import { errorText } from "../agent.ts";
import { readSecretData } from "../cluster/secrets.ts";
import { objectKey } from "../status/mod.ts";
import { verifyRequest } from "./verify.ts";
import {
  BodyLimitError,
  type BodyLimits,
  DEFAULT_BODY_LIMITS,
  readBodyLimited,
} from "./body_limit.ts";

interface Route {
  receiver: Receiver;
  token: string;
}

export async function hookPath(token: string, name: string, namespace: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token + name + namespace)),
  );
  return "/hook/" + [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export class ReceiverRoutes {
  #routes = new Map<string, Route>();
  readonly #core: AgentCore;
  readonly #limits: BodyLimits;

  constructor(core: AgentCore, limits: BodyLimits = DEFAULT_BODY_LIMITS) {
    this.#core = core;
    this.#limits = limits;
  }

  /** Reads every Receiver's Secret and rebuilds the table of paths. */
  async refresh(): Promise<void> {
    const next = new Map<string, Route>();
    for (const receiver of this.#core.config.receivers) {
      if (receiver.spec.suspend) continue;
      const ns = receiver.metadata.namespace;
      try {
        const data = await readSecretData(
          this.#core.client,
          ns,
          receiver.spec.secretRef.name,
          "spec.secretRef",
          this.#core.logger.secrets,
        );
        const token = data.token;
        if (!token) {
          throw new Error(`Secret ${ns}/${receiver.spec.secretRef.name} has no 'token' key`);
        }
        next.set(await hookPath(token, receiver.metadata.name, ns), { receiver, token });
      } catch (e) {
        this.#core.logger.error("receiver is not served", {
          receiver: `${ns}/${receiver.metadata.name}`,
          error: errorText(e),
        });
      }
    }
    this.#routes = next;
  }

  /** The path a Receiver is served at (for `skiff status` and tests). */
  pathOf(namespace: string, name: string): string | undefined {
    for (const [path, r] of this.#routes) {
      if (r.receiver.metadata.name === name && r.receiver.metadata.namespace === namespace) {
        return path;
      }
    }
    return undefined;
  }

  async handle(request: Request, path: string): Promise<Response> {
    const route = this.#routes.get(path);
    if (!route) return new Response("not found\n", { status: 404 });
    if (request.method !== "POST") return new Response("method not allowed\n", { status: 405 });
    const { receiver, token } = route;
    const name = `${receiver.metadata.namespace}/${receiver.metadata.name}`;
    let body: Uint8Array;
    try {
      body = await readBodyLimited(request, this.#limits);
    } catch (e) {
      if (!(e instanceof BodyLimitError)) throw e;
      this.#core.logger.warn("webhook refused", { receiver: name, reason: e.message });
      // The rest of the body is never read, so the connection cannot be reused.
      return new Response(e.message + "\n", {
        status: e.status,
        headers: { connection: "close" },
      });
    }
    const verdict = await verifyRequest(receiver.spec.type, request.headers, body, token);
    if (!verdict.ok) {
      this.#core.logger.warn("webhook refused", { receiver: name, reason: verdict.message });
      return new Response(verdict.message + "\n", { status: verdict.status });
    }
    if (receiver.spec.type === "github" && verdict.event === "ping") {
      return new Response("pong\n", { status: 200 });
    }
    const events = receiver.spec.events ?? [];
    if (
      events.length > 0 && verdict.event !== undefined &&
      !events.some((e) => e.toLowerCase() === verdict.event!.toLowerCase())
    ) {
      return new Response(`event ${verdict.event} is not handled\n`, { status: 200 });
    }
    const triggered = this.#trigger(receiver);
    this.#core.logger.info("webhook accepted", { receiver: name, triggered: triggered.join(",") });
    return new Response(JSON.stringify({ triggered }) + "\n", {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  }

  #trigger(receiver: Receiver): string[] {
    const triggered: string[] = [];
    for (const res of receiver.spec.resources) {
      const ns = res.namespace ?? receiver.metadata.namespace;
      if (res.name === "*") {
        for (const [key, obj] of this.#core.owned()) {
          if (obj.kind !== res.kind || obj.metadata.namespace !== ns) continue;
          const labels = obj.metadata.labels ?? {};
          const match = Object.entries(res.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
          if (match && this.#core.reconcileNow(key, "webhook")) triggered.push(key);
        }
        continue;
      }
      const key = objectKey(res.kind, ns, res.name);
      if (this.#core.reconcileNow(key, "webhook")) triggered.push(key);
    }
    return triggered;
  }
}
