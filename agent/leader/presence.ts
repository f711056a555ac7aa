// Presence without leader election: each agent renews a small Lease (`skiff-presence`, one per
// shard) with its identity, so two agents pointed at one cluster by mistake find out and say so
// instead of silently overwriting each other's work. With leader election on, the election
// Lease already keeps a second replica on standby, and no presence record is kept.
//
// Who wrote the record last is told by its resourceVersion, not by clocks: a record whose
// version is not the one our own last write produced was written by someone else since, and
// is proof of a live agent (a restarted predecessor's last renewal predates our first write).
// One GET and one PUT per period.
import { KubeApiError, type KubeClient } from "../../lib/kube/mod.ts";
import type { Logger } from "../../lib/log/mod.ts";
import { recordConflictEvent } from "./conflict_event.ts";
import { type Lease, leaseObject, microTime, readLease, replaceLease } from "./lease.ts";

/** Foreign writes seen before reporting: one could be a predecessor still shutting down. */
const SIGHTINGS_BEFORE_REPORT = 2;

export interface PresenceOptions {
  namespace: string;
  /** `skiff-presence`, or `skiff-presence-<shard>`: agents of different shards may coexist. */
  name: string;
  identity: string;
  /** How often the record is renewed and checked (default 10 s). */
  periodMs?: number;
  logger: Logger;
  /** Another agent was found (a conflict), or is no longer seen (undefined). */
  onChange?(conflict: PresenceConflict | undefined): void;
}

/** Another agent renewing the same presence record: two agents without leader election. */
export interface PresenceConflict {
  /** The other agent's identity (the Lease's holderIdentity it wrote). */
  other: string;
  /** `namespace/name` of the presence Lease. */
  lease: string;
  /** When this agent first reported it (RFC 3339). */
  since: string;
  /** What happens and what to do, for logs, Events and the status API. */
  message: string;
}

interface Sighting {
  identity: string;
  count: number;
  lastSeen: number;
  /** How long the other agent's record stays valid without renewal (its leaseDurationSeconds). */
  validMs: number;
}

export const DEFAULT_PRESENCE_PERIOD_MS = 10_000;

/** Marks "we have not written yet, but someone else has": every version seen is foreign. */
const NONE_OF_OURS = "";

/** The presence Lease's name for a shard. */
export function presenceLeaseName(shard: string | undefined): string {
  return shard ? `skiff-presence-${shard}` : "skiff-presence";
}

export class PresenceRecord {
  readonly #client: KubeClient;
  readonly #o: PresenceOptions;
  readonly #periodMs: number;
  /** resourceVersion our last write produced. */
  #written?: string;
  #sighting?: Sighting;
  #conflict?: PresenceConflict;
  #conflicts = 0;
  #timer?: ReturnType<typeof setTimeout>;
  #round?: Promise<void>;
  /** The conflict Event being written. */
  #pending?: Promise<void>;
  #stopped = false;

  constructor(client: KubeClient, options: PresenceOptions) {
    this.#client = client;
    this.#o = options;
    this.#periodMs = options.periodMs ?? DEFAULT_PRESENCE_PERIOD_MS;
  }

  /** The other agent currently seen, if any. */
  get conflict(): PresenceConflict | undefined {
    return this.#conflict;
  }

  /** How many times another agent was found (a counter for metrics). */
  get conflictsTotal(): number {
    return this.#conflicts;
  }

  start(): void {
    this.#loop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#round;
    await this.#pending;
  }

  #loop(): void {
    if (this.#stopped) return;
    this.#round = this.check().catch((e) => {
      // A missing namespace or a blip: presence is advisory, the next period tries again.
      this.#o.logger.debug("presence record not renewed", {
        error: e instanceof Error ? e.message : String(e),
      });
    }).finally(() => {
      // Jitter keeps two agents started together from renewing in lockstep.
      const delay = this.#periodMs * (0.9 + Math.random() * 0.2);
      if (!this.#stopped) this.#timer = setTimeout(() => this.#loop(), delay);
    });
  }

  /** One round: read the record, note a foreign write, renew it as ours. */
  async check(now = new Date()): Promise<void> {
    // Lost the race for the write (409): the winner is the other agent, and renewing right
    // after its write lets it see ours next round; otherwise two agents in lockstep could have
    // one of them always win and never notice the other.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await this.#renew(now)) return;
    }
  }

  /** Reads and renews the record; false when another writer got in between (409). */
  async #renew(now: Date): Promise<boolean> {
    const lease = await readLease(this.#client, this.#o);
    if (!lease) {
      try {
        const created = await this.#client.create(this.#record(now));
        this.#written = created.metadata.resourceVersion;
      } catch (e) {
        if (e instanceof KubeApiError && e.isConflict) {
          this.#written ??= NONE_OF_OURS;
          return false;
        }
        throw e;
      }
      this.#expire(now.getTime());
      return true;
    }
    const version = lease.metadata.resourceVersion;
    if (this.#written !== undefined && version !== this.#written) {
      const holder = lease.spec?.holderIdentity || "(unnamed)";
      this.#sighted(holder, (lease.spec?.leaseDurationSeconds ?? 0) * 1000, now.getTime());
    }
    this.#expire(now.getTime());
    const updated = await replaceLease(this.#client, this.#record(now), version);
    if (!updated) {
      // Someone else wrote since our read: that write is foreign even if we never wrote yet.
      this.#written ??= NONE_OF_OURS;
      return false;
    }
    this.#written = updated.metadata.resourceVersion;
    return true;
  }

  #sighted(identity: string, validMs: number, now: number): void {
    const s = this.#sighting?.identity === identity
      ? this.#sighting
      : { identity, count: 0, lastSeen: now, validMs };
    s.count++;
    s.lastSeen = now;
    s.validMs = validMs;
    this.#sighting = s;
    if (s.count < SIGHTINGS_BEFORE_REPORT || this.#conflict?.other === identity) return;
    const lease = `${this.#o.namespace}/${this.#o.name}`;
    const same = identity === this.#o.identity ? " (the same identity as this agent)" : "";
    this.#conflicts++;
    this.#conflict = {
      other: identity,
      lease,
      since: new Date(now).toISOString(),
      message: `another skiff agent, "${identity}"${same}, is reconciling this cluster too: ` +
        `it keeps renewing the presence Lease ${lease} that this agent ("${this.#o.identity}") ` +
        "renews, and without leader election both apply and prune the same objects. Enable " +
        "Agent.spec.leaderElection on every replica, or remove the second agent",
    };
    const conflict = this.#conflict;
    this.#o.logger.warn(conflict.message, { otherAgent: identity, lease });
    this.#pending = recordConflictEvent(this.#client, this.#o, this.#o.identity, conflict)
      .catch((e) =>
        this.#o.logger.debug("could not record the conflict Event", {
          error: e instanceof Error ? e.message : String(e),
        })
      );
    this.#o.onChange?.(conflict);
  }

  /** Forgets another agent once its own record would have expired without a renewal. */
  #expire(now: number): void {
    const s = this.#sighting;
    if (!s || now - s.lastSeen <= Math.max(s.validMs, 3 * this.#periodMs)) return;
    this.#sighting = undefined;
    if (!this.#conflict) return;
    this.#o.logger.info("the other skiff agent is no longer seen", {
      otherAgent: this.#conflict.other,
      lease: this.#conflict.lease,
    });
    this.#conflict = undefined;
    this.#o.onChange?.(undefined);
  }

  #record(now: Date): Lease {
    return leaseObject(this.#o, {
      holderIdentity: this.#o.identity,
      // Three periods: a reader knows the writer is gone after that long without renewal.
      leaseDurationSeconds: Math.max(1, Math.ceil((3 * this.#periodMs) / 1000)),
      renewTime: microTime(now),
    }, { "app.kubernetes.io/managed-by": "skiff", "skiff.dev/component": "presence" });
  }
}
