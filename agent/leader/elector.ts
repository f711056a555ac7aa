// Leader election with a coordination.k8s.io/v1 Lease, the way client-go does it: the holder
// renews every retryPeriod; a candidate takes over when the holder has not renewed for
// leaseDuration; a leader that cannot renew within renewDeadline steps down; stop() releases
// the Lease so a standby takes over at once instead of after leaseDuration.
import type { KubeClient } from "../../lib/kube/mod.ts";
import { parseDurationMillis } from "../../lib/duration/mod.ts";
import type { Logger } from "../../lib/log/mod.ts";
import { type Lease, leaseObject, microTime, readLease, replaceLease } from "./lease.ts";

export interface LeaderElectorOptions {
  namespace: string;
  name: string;
  identity: string;
  /** Go durations, as in Agent.spec.leaderElection. */
  leaseDuration: string;
  renewDeadline: string;
  retryPeriod: string;
  logger: Logger;
  onStartedLeading(): void;
  onStoppedLeading(): void;
}

export class LeaderElector {
  readonly #client: KubeClient;
  readonly #o: LeaderElectorOptions;
  readonly #durationMs: number;
  readonly #deadlineMs: number;
  readonly #retryMs: number;
  #leader = false;
  #lastRenew = 0;
  #timer?: ReturnType<typeof setTimeout>;
  #stopped = false;
  #tick?: Promise<void>;

  constructor(client: KubeClient, options: LeaderElectorOptions) {
    this.#client = client;
    this.#o = options;
    this.#durationMs = parseDurationMillis(options.leaseDuration);
    this.#deadlineMs = parseDurationMillis(options.renewDeadline);
    this.#retryMs = parseDurationMillis(options.retryPeriod);
  }

  get isLeader(): boolean {
    return this.#leader;
  }

  start(): void {
    this.#loop();
  }

  #loop(): void {
    if (this.#stopped) return;
    this.#tick = this.#attempt().catch((e) => {
      this.#o.logger.debug("lease update failed", {
        error: e instanceof Error ? e.message : String(e),
      });
    }).finally(() => {
      if (this.#leader && Date.now() - this.#lastRenew > this.#deadlineMs) this.#stepDown();
      if (!this.#stopped) this.#timer = setTimeout(() => this.#loop(), this.#retryMs);
    });
  }

  async #attempt(): Promise<void> {
    const now = new Date();
    const lease = await readLease(this.#client, this.#o);
    if (!lease) {
      await this.#client.create(this.#leaseObject(now, now, 0));
      this.#renewed(now);
      return;
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? "";
    const renewed = Date.parse(spec.renewTime ?? spec.acquireTime ?? "") || 0;
    const expiresAt = renewed + (spec.leaseDurationSeconds ?? 0) * 1000;
    if (holder !== this.#o.identity && holder !== "" && expiresAt > now.getTime()) {
      if (this.#leader) this.#stepDown();
      return;
    }
    const ours = holder === this.#o.identity;
    const next = this.#leaseObject(
      ours && spec.acquireTime ? new Date(spec.acquireTime) : now,
      now,
      (spec.leaseTransitions ?? 0) + (ours ? 0 : 1),
    );
    // Someone else wrote the Lease first: they won this round.
    if (!await replaceLease(this.#client, next, lease.metadata.resourceVersion)) return;
    this.#renewed(now);
  }

  #renewed(now: Date): void {
    this.#lastRenew = now.getTime();
    if (!this.#leader) {
      this.#leader = true;
      this.#o.logger.info("acquired lease", {
        lease: `${this.#o.namespace}/${this.#o.name}`,
        identity: this.#o.identity,
      });
      this.#o.onStartedLeading();
    }
  }

  #stepDown(): void {
    if (!this.#leader) return;
    this.#leader = false;
    this.#o.onStoppedLeading();
  }

  #leaseObject(acquired: Date, renewed: Date, transitions: number): Lease {
    return leaseObject(this.#o, {
      holderIdentity: this.#o.identity,
      leaseDurationSeconds: Math.max(1, Math.round(this.#durationMs / 1000)),
      acquireTime: microTime(acquired),
      renewTime: microTime(renewed),
      leaseTransitions: transitions,
    });
  }

  /** Stops campaigning; a leader releases the Lease so another replica takes over at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#tick;
    if (!this.#leader) return;
    this.#leader = false;
    try {
      const lease = await this.#client.get<Lease>(
        "coordination.k8s.io/v1",
        "Lease",
        this.#o.name,
        this.#o.namespace,
      );
      if (lease.spec?.holderIdentity !== this.#o.identity) return;
      await this.#client.update({
        ...lease,
        spec: { ...lease.spec, holderIdentity: "", leaseDurationSeconds: 1 },
      });
      this.#o.logger.info("released lease", { lease: `${this.#o.namespace}/${this.#o.name}` });
    } catch (e) {
      this.#o.logger.warn("could not release the lease", {
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
}
