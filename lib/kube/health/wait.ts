// Waiting for a set of objects to become ready: one watch per kind and namespace, the kstatus
// rules on every event, and a report naming what is still not ready (and why) at the deadline.
import type { KubeClient } from "../client/mod.ts";
import { KubeApiError } from "../errors.ts";
import { describeId, type KubeObject, type ObjectId } from "../types.ts";
import { checkHealth, type Health } from "./rules.ts";

export interface ObjectHealth extends Health {
  id: ObjectId;
}

export interface HealthReport {
  /** Every object is Current. */
  ready: boolean;
  objects: ObjectHealth[];
  notReady: ObjectHealth[];
  timedOut: boolean;
  /** One line per object that is not ready, for status messages and logs. */
  summary: string;
}

export interface WaitOptions {
  timeoutMs: number;
  /** Stop as soon as every object is either Current or Failed (default true). */
  failFast?: boolean;
  signal?: AbortSignal;
}

export async function waitForReady(
  client: KubeClient,
  ids: ObjectId[],
  options: WaitOptions,
): Promise<HealthReport> {
  const states = new Map<string, ObjectHealth>();
  const groups = new Map<string, ObjectId[]>();
  for (const id of ids) {
    states.set(keyOf(id), { id, status: "Unknown", message: "not observed yet" });
    const groupKey = `${id.apiVersion}|${id.kind}|${id.namespace ?? ""}`;
    groups.set(groupKey, [...(groups.get(groupKey) ?? []), id]);
  }
  const failFast = options.failFast ?? true;
  const controller = new AbortController();
  const signals = [controller.signal, ...(options.signal ? [options.signal] : [])];
  const signal = AbortSignal.any(signals);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);

  let settle!: () => void;
  const done = new Promise<void>((resolve) => settle = resolve);
  const evaluate = () => {
    const all = [...states.values()];
    if (all.every((s) => s.status === "Current")) settle();
    else if (failFast && all.every((s) => s.status === "Current" || s.status === "Failed")) {
      settle();
    }
  };
  let watchError: unknown;

  const watchers = [...groups.values()].map(async (members) => {
    const { apiVersion, kind, namespace } = members[0];
    const names = new Set(members.map((m) => m.name));
    const update = (obj: KubeObject | undefined, name: string) => {
      const id = members.find((m) => m.name === name)!;
      states.set(keyOf(id), { id, ...checkHealth(obj) });
    };
    try {
      for await (const event of client.watch(apiVersion, kind, { namespace, signal })) {
        if (event.type === "RESYNC") {
          const seen = new Map(event.objects.map((o) => [o.metadata.name ?? "", o]));
          for (const name of names) update(seen.get(name), name);
        } else if (names.has(event.object.metadata.name ?? "")) {
          update(event.type === "DELETED" ? undefined : event.object, event.object.metadata.name!);
        } else continue;
        evaluate();
      }
    } catch (e) {
      if (signal.aborted) return;
      // A tenant's service account may get its objects but not list or watch the kind.
      let failure = e;
      if (e instanceof KubeApiError && e.isForbidden) {
        try {
          await poll(client, members, update, evaluate, signal);
          return;
        } catch (pollError) {
          if (signal.aborted) return;
          failure = pollError;
        }
      }
      watchError = failure;
      settle();
    }
  });
  evaluate();
  // A signal aborted before the call never fires "abort" again: check it, or this waits forever.
  const stopped = new Promise<void>((r) => {
    if (signal.aborted) r();
    else signal.addEventListener("abort", () => r(), { once: true });
  });
  await Promise.race([done, stopped]);
  clearTimeout(timer);
  controller.abort();
  await Promise.allSettled(watchers);
  if (watchError) throw watchError;

  const objects = [...states.values()];
  const notReady = objects.filter((o) => o.status !== "Current");
  return {
    ready: notReady.length === 0,
    objects,
    notReady,
    timedOut: timedOut && notReady.length > 0,
    summary: notReady.map((o) => `${describeId(o.id)}: ${o.status}: ${o.message}`).join("\n"),
  };
}

/** Re-reads each object once a second until the wait ends. */
async function poll(
  client: KubeClient,
  members: ObjectId[],
  update: (obj: KubeObject | undefined, name: string) => void,
  evaluate: () => void,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    for (const id of members) {
      update(await client.getIfExists(id.apiVersion, id.kind, id.name, id.namespace), id.name);
    }
    evaluate();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, POLL_INTERVAL_MS);
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  }
}

const POLL_INTERVAL_MS = 1_000;

function keyOf(id: ObjectId): string {
  return `${id.apiVersion}|${id.kind}|${id.namespace ?? ""}|${id.name}`;
}
