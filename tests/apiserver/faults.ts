// Programmable faults for reliability tests: latency, an error status for the Nth matching
// request or a fraction of them, dropped connections, 429 storms with Retry-After, and watches
// that end every few seconds (cleanly or with 410 Expired). The
// fraction draws come from a PRNG seeded by the server's seed, so runs repeat exactly.
import { ApiError, type StatusReason } from "./status.ts";
import { mulberry32 } from "../support/mulberry32.ts";

export interface FaultMatch {
  /** e.g. "get", "list", "watch", "create", "patch"; any verb when absent. */
  verb?: string;
  /** e.g. "deployments" (any group); any resource when absent. */
  resource?: string;
  namespace?: string;
}

export interface FaultRule extends FaultMatch {
  /** Fail only the Nth request that matches (1-based), counted from when the rule was added. */
  nth?: number;
  /** Fail this fraction (0..1) of matching requests. */
  fraction?: number;
  /** At most this many faults from this rule (default: 1 for nth, unlimited otherwise). */
  times?: number;
  /** HTTP status to answer with (500, 503, 504, 429, 409...). */
  status?: number;
  retryAfterSeconds?: number;
  /** Extra delay before answering. */
  latencyMs?: number;
  /** Close the connection instead of answering (dropConnection() drops one unless told more). */
  drop?: boolean;
  /**
   * Watches this rule matches end after this long, as a real server's request timeout, a
   * restart or a load balancer cuts them (see endWatches()).
   */
  watchEndAfterMs?: number;
  /** With watchEndAfterMs: end with a 410 Expired ERROR event (history compacted meanwhile). */
  watchExpired?: boolean;
}

export interface FaultState extends FaultRule {
  id: string;
  matched: number;
  fired: number;
}

export interface FaultControl {
  add(rule: FaultRule): string;
  remove(id: string): void;
  clear(): void;
  list(): FaultState[];
  latency(ms: number, match?: FaultMatch): string;
  failNth(n: number, status: number, match?: FaultMatch): string;
  failFraction(fraction: number, status: number, match?: FaultMatch): string;
  dropConnection(match?: FaultMatch & { nth?: number; times?: number }): string;
  storm429(count: number, retryAfterSeconds?: number, match?: FaultMatch): string;
  /** Every watch matching `match` ends after `afterMs` (with 410 Expired when `expired`). */
  endWatches(afterMs: number, options?: FaultMatch & { expired?: boolean }): string;
}

/** How a watch stream is cut short by a fault. */
export interface WatchEnd {
  afterMs: number;
  expired: boolean;
}

export type FaultOutcome =
  | { kind: "none"; delayMs: number; watchEnd?: WatchEnd }
  | { kind: "error"; delayMs: number; error: ApiError; retryAfterSeconds?: number }
  | { kind: "drop"; delayMs: number };

const REASONS: Record<number, [StatusReason, string]> = {
  400: ["BadRequest", "the server rejected our request for an unknown reason"],
  401: ["Unauthorized", "Unauthorized"],
  403: ["Forbidden", "forbidden by an injected fault"],
  404: ["NotFound", "the server could not find the requested resource"],
  409: ["Conflict", "the server reported a conflict"],
  410: ["Gone", "the resource version is too old"],
  429: [
    "TooManyRequests",
    "the server has received too many requests and has asked us to try again later",
  ],
  500: [
    "InternalError",
    'an error on the server ("injected fault") has prevented the request from succeeding',
  ],
  503: ["InternalError", "the server is currently unable to handle the request"],
  504: [
    "Timeout",
    "the server was unable to return a response in the time allotted, but may still be processing the request",
  ],
};

export class Faults implements FaultControl {
  #rules: FaultState[] = [];
  #next = 0;
  #random: () => number;

  constructor(seed: number) {
    this.#random = mulberry32(seed);
  }

  add(rule: FaultRule): string {
    const id = `fault-${++this.#next}`;
    this.#rules.push({ ...rule, id, matched: 0, fired: 0 });
    return id;
  }

  remove(id: string): void {
    this.#rules = this.#rules.filter((r) => r.id !== id);
  }

  clear(): void {
    this.#rules = [];
  }

  list(): FaultState[] {
    return this.#rules.map((r) => ({ ...r }));
  }

  latency(ms: number, match: FaultMatch = {}): string {
    return this.add({ ...match, latencyMs: ms });
  }

  failNth(n: number, status: number, match: FaultMatch = {}): string {
    return this.add({ ...match, nth: n, status });
  }

  failFraction(fraction: number, status: number, match: FaultMatch = {}): string {
    return this.add({ ...match, fraction, status });
  }

  dropConnection(match: FaultMatch & { nth?: number; times?: number } = {}): string {
    return this.add({ times: 1, ...match, drop: true });
  }

  storm429(count: number, retryAfterSeconds = 1, match: FaultMatch = {}): string {
    return this.add({ ...match, status: 429, times: count, retryAfterSeconds });
  }

  endWatches(afterMs: number, options: FaultMatch & { expired?: boolean } = {}): string {
    const { expired, ...match } = options;
    return this.add({ ...match, verb: "watch", watchEndAfterMs: afterMs, watchExpired: expired });
  }

  /** What to do with a request; counts it against every matching rule. */
  decide(verb: string, resource: string | undefined, namespace: string | undefined): FaultOutcome {
    let delayMs = 0;
    let watchEnd: WatchEnd | undefined;
    for (const r of this.#rules) {
      if (r.verb && r.verb !== verb) continue;
      if (r.resource && r.resource !== resource) continue;
      if (r.namespace && r.namespace !== namespace) continue;
      r.matched++;
      const limit = r.times ?? (r.nth !== undefined ? 1 : Infinity);
      if (r.fired >= limit) continue;
      if (r.nth !== undefined && r.matched !== r.nth) continue;
      if (r.fraction !== undefined && this.#random() >= r.fraction) continue;
      if (r.latencyMs) delayMs += r.latencyMs;
      if (r.drop) {
        r.fired++;
        return { kind: "drop", delayMs };
      }
      if (r.status) {
        r.fired++;
        const [reason, message] = REASONS[r.status] ?? ["InternalError", "injected fault"];
        const details = r.retryAfterSeconds !== undefined
          ? { retryAfterSeconds: r.retryAfterSeconds }
          : undefined;
        return {
          kind: "error",
          delayMs,
          error: new ApiError(r.status, reason, message, details),
          retryAfterSeconds: r.retryAfterSeconds,
        };
      }
      if (r.watchEndAfterMs !== undefined && verb === "watch") {
        r.fired++;
        if (!watchEnd || r.watchEndAfterMs < watchEnd.afterMs) {
          watchEnd = { afterMs: r.watchEndAfterMs, expired: r.watchExpired ?? false };
        }
        continue;
      }
      if (r.latencyMs && r.latencyMs > 0) r.fired++;
    }
    return watchEnd ? { kind: "none", delayMs, watchEnd } : { kind: "none", delayMs };
  }
}
