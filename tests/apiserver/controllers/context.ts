// What the simulated controllers share: the API (writing as kube-controller-manager), the
// catalog, timers that stop with the server, and the rollout delay.
import type { Api } from "../api.ts";
import type { Catalog, ResourceType } from "../catalog.ts";
import { meta } from "../objects.ts";
import type { JsonObject } from "../ssa/typed.ts";
import { ApiError } from "../status.ts";

export const CONTROLLER_MANAGER = "kube-controller-manager";

/** Set on a workload or Job to make the simulated controller report failure. */
export const FAIL_ANNOTATION = "emulator.skiff.dev/fail";

export class ControllerContext {
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #stopped = false;

  constructor(
    readonly api: Api,
    readonly catalog: Catalog,
    readonly rolloutDelayMs: number,
    /** Whether workloads get ReplicaSets and Pods (no containers run either way). */
    readonly simulatePods = true,
  ) {}

  type(group: string, resource: string): ResourceType | undefined {
    return this.catalog.versionsOf(group, resource)[0];
  }

  /** Runs work later, swallowing the expected races (object gone or changed meanwhile). */
  later(ms: number, work: () => void): void {
    if (this.#stopped) return;
    const t = setTimeout(() => {
      this.#timers.delete(t);
      if (this.#stopped) return;
      try {
        work();
      } catch (e) {
        if (!(e instanceof ApiError)) console.error("emulator controller:", e);
      }
    }, ms);
    this.#timers.add(t);
  }

  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  /** Writes a new status through /status, as a controller does. */
  writeStatus(rt: ResourceType, o: JsonObject, status: JsonObject): void {
    const m = meta(o);
    const next = { ...o, status };
    this.api.update(rt, m.namespace as string | undefined, String(m.name), next, {
      fieldManager: CONTROLLER_MANAGER,
      subresource: "status" in rt.subresources ? "status" : undefined,
    });
  }

  /** Re-reads an object; undefined when it is gone. */
  fresh(rt: ResourceType, o: JsonObject): JsonObject | undefined {
    const m = meta(o);
    return this.api.tryGet(rt, m.namespace as string | undefined, String(m.name));
  }
}
