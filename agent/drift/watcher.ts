// Watches the objects skiff applied (one watch per kind, selected by Flux's owner labels) and
// notices manual edits and deletions within seconds. A change counts as drift when the object
// was deleted, or when a writer other than skiff and the cluster's own controllers changed it
// (its managedFields say who); status updates never count.
import type { KubeObject, ManagedFieldsEntry, ObjectId } from "../../lib/kube/mod.ts";
import type { AgentCore } from "../agent.ts";
import { errorText } from "../agent.ts";
import type { DriftTracker } from "../reconcile/mod.ts";
import { objectKey, parseObjectKey } from "../status/mod.ts";
import { CorrectionLimiter, driftPolicyOf } from "./policy.ts";

const OWNER_NAME = "kustomize.toolkit.fluxcd.io/name";
const OWNER_NAMESPACE = "kustomize.toolkit.fluxcd.io/namespace";
/** Writers that are the cluster itself, not a person or another GitOps tool. */
const SYSTEM_MANAGERS = new Set(["kube-controller-manager", "kube-scheduler", "kubelet"]);
/** Changes close together are corrected once. */
const DEBOUNCE_MS = 300;

export interface DriftCounters {
  driftDetected(key: string): void;
  driftCorrected(key: string): void;
  driftFight(key: string): void;
}

export class DriftWatcher implements DriftTracker {
  readonly #core: AgentCore;
  readonly #counters: DriftCounters;
  readonly #limiter = new CorrectionLimiter();
  /** Kustomization key → kinds it applied, and when it last applied. */
  readonly #tracked = new Map<
    string,
    { kinds: Set<string>; objects: Set<string>; appliedAt: number }
  >();
  /** Kustomization key → when drift was last seen. */
  readonly #changedAt = new Map<string, number>();
  readonly #watches = new Map<string, AbortController>();
  readonly #pending = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #fighting = new Set<string>();
  /** Per object, the foreign writes last seen (see #writtenByOthers). */
  readonly #seen = new Map<string, Map<string, string>>();
  #running = false;

  constructor(core: AgentCore, counters: DriftCounters) {
    this.#core = core;
    this.#counters = counters;
  }

  start(): void {
    this.#running = true;
    for (const kinds of this.#tracked.values()) for (const k of kinds.kinds) this.#ensureWatch(k);
  }

  stop(): void {
    this.#running = false;
    for (const c of this.#watches.values()) c.abort();
    this.#watches.clear();
    for (const t of this.#pending.values()) clearTimeout(t);
    this.#pending.clear();
  }

  unchangedSince(key: string, since: number): boolean {
    const tracked = this.#tracked.get(key);
    if (!this.#running || !tracked) return false;
    // Every kind must be watched already, or a change could have been missed.
    for (const k of tracked.kinds) if (!this.#watches.has(k)) return false;
    return (this.#changedAt.get(key) ?? 0) < since;
  }

  track(key: string, objects: ObjectId[], appliedAt: number): void {
    const set = new Set(objects.map((k) => `${k.apiVersion}|${k.kind}`));
    this.#tracked.set(key, { kinds: set, objects: new Set(objects.map(idKey)), appliedAt });
    this.#fighting.delete(key);
    if (this.#running) { for (const k of set) this.#ensureWatch(k); }
  }

  forget(key: string): void {
    this.#tracked.delete(key);
    this.#changedAt.delete(key);
  }

  #ensureWatch(kindKey: string): void {
    if (this.#watches.has(kindKey)) return;
    const [apiVersion, kind] = kindKey.split("|");
    const controller = new AbortController();
    this.#watches.set(kindKey, controller);
    (async () => {
      for await (
        const event of this.#core.client.watch(apiVersion, kind, {
          labelSelector: OWNER_NAME,
          signal: controller.signal,
          timeoutSeconds: 300,
        })
      ) {
        if (event.type === "RESYNC") {
          // The first list too: it comes after the apply that started this watch, and an edit
          // or deletion in between would otherwise wait for the next interval.
          this.#relisted(kindKey, event.objects);
          continue;
        }
        if (event.type !== "ADDED" && event.type !== "MODIFIED" && event.type !== "DELETED") {
          continue;
        }
        this.#observe(event.type, event.object);
      }
    })().catch((e) => {
      this.#watches.delete(kindKey);
      if (controller.signal.aborted) return;
      this.#core.logger.warn("drift watch ended; retrying", { kind, error: errorText(e) });
      setTimeout(() => this.#running && this.#ensureWatch(kindKey), 5_000);
    });
  }

  /**
   * Whether a writer other than skiff and the cluster's controllers wrote this object since we
   * last looked: a new entry in its managedFields, or a newer time on one. The first sight of
   * an object compares with the apply time instead (managedFields times have 1 s precision).
   */
  #writtenByOthers(obj: KubeObject, appliedAt: number): boolean {
    const id = idKey(obj);
    const now = foreignWrites(obj, this.#core.engine.fieldManager);
    const before = this.#seen.get(id);
    this.#seen.set(id, now);
    if (!before) {
      const since = Math.floor(appliedAt / 1000) * 1000;
      return [...now.values()].some((time) => Date.parse(time) >= since);
    }
    for (const [writer, time] of now) if (before.get(writer) !== time) return true;
    return false;
  }

  /**
   * A list: the watch's first, or a relist after the history it resumed from was compacted
   * (410). The events before it are unknown, so it is compared with what skiff applied instead. An applied
   * object missing from it was deleted; one with a new foreign write was changed.
   */
  #relisted(kindKey: string, objects: KubeObject[]): void {
    const listed = new Set(objects.map(idKey));
    for (const o of objects) this.#observe("MODIFIED", o);
    for (const [key, t] of this.#tracked) {
      if (!t.kinds.has(kindKey)) continue;
      // Anything the comparison cannot see (a relabel) still makes the next interval check.
      this.#changedAt.set(key, Date.now());
      for (const id of t.objects) {
        if (!id.startsWith(kindKey + "|") || listed.has(id)) continue;
        const [apiVersion, kind, namespace, name] = id.split("|");
        this.#observeFor(key, "DELETED", {
          apiVersion,
          kind,
          metadata: { name, ...(namespace ? { namespace } : {}) },
        });
      }
    }
  }

  #observe(type: "ADDED" | "MODIFIED" | "DELETED", obj: KubeObject): void {
    const labels = obj.metadata.labels ?? {};
    const name = labels[OWNER_NAME];
    const namespace = labels[OWNER_NAMESPACE];
    if (!name || !namespace) return;
    this.#observeFor(objectKey("Kustomization", namespace, name), type, obj);
  }

  #observeFor(key: string, type: "ADDED" | "MODIFIED" | "DELETED", obj: KubeObject): void {
    const { namespace, name } = parseObjectKey(key);
    const tracked = this.#tracked.get(key);
    // Objects skiff no longer owns (pruned ones) are not drift.
    if (!tracked?.objects.has(idKey(obj))) return;
    if (type === "DELETED") this.#seen.delete(idKey(obj));
    else if (!this.#writtenByOthers(obj, tracked.appliedAt)) return;
    this.#changedAt.set(key, Date.now());
    this.#counters.driftDetected(key);
    const what = `${obj.kind} ${
      obj.metadata.namespace ? obj.metadata.namespace + "/" : ""
    }${obj.metadata.name}`;
    const k = this.#core.config.get("Kustomization", namespace, name);
    if (!k) return;
    const policy = driftPolicyOf(k);
    const log = this.#core.logger.with({ kustomization: key });
    if (policy === "ignore") return;
    if (policy === "warn") {
      log.warn(`drift: ${what} was ${type === "DELETED" ? "deleted" : "changed"} outside Git`);
      return;
    }
    if (this.#pending.has(key)) return;
    this.#pending.set(
      key,
      setTimeout(() => {
        this.#pending.delete(key);
        if (!this.#running) return;
        if (!this.#limiter.take(key)) {
          if (!this.#fighting.has(key)) {
            this.#fighting.add(key);
            this.#counters.driftFight(key);
            log.warn(
              `drift: ${what} keeps changing outside Git; another controller may be fighting ` +
                "skiff over it. Corrections pause until the next interval",
            );
          }
          return;
        }
        log.info(
          `drift: ${what} was ${
            type === "DELETED" ? "deleted" : "changed"
          } outside Git; correcting`,
        );
        this.#counters.driftCorrected(key);
        this.#core.reconcileNow(key, "drift");
      }, DEBOUNCE_MS),
    );
  }
}

/** The writes of others an object records: manager, operation and time of each entry. */
function foreignWrites(obj: KubeObject, fieldManager: string): Map<string, string> {
  const writes = new Map<string, string>();
  for (const e of (obj.metadata.managedFields ?? []) as ManagedFieldsEntry[]) {
    if (e.manager === fieldManager || SYSTEM_MANAGERS.has(e.manager ?? "")) continue;
    if (e.subresource === "status") continue;
    writes.set(`${e.manager}|${e.operation}|${e.subresource ?? ""}`, e.time ?? "");
  }
  return writes;
}

function idKey(o: ObjectId | KubeObject): string {
  const namespace = "metadata" in o ? o.metadata.namespace : o.namespace;
  const name = "metadata" in o ? o.metadata.name : o.name;
  return `${o.apiVersion}|${o.kind}|${namespace ?? ""}|${name}`;
}
