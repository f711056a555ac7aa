// PersistentVolumeClaims bind, with the capacity they asked for.
import type { ResourceType } from "../catalog.ts";
import { meta, specOf, statusOf } from "../objects.ts";
import { isObject, type JsonObject } from "../ssa/typed.ts";
import type { ControllerContext } from "./context.ts";

export function reconcilePvc(ctx: ControllerContext, rt: ResourceType, o: JsonObject): void {
  if (statusOf(o).phase === "Bound" || meta(o).deletionTimestamp) return;
  ctx.later(Math.min(ctx.rolloutDelayMs, 50), () => {
    const now = ctx.fresh(rt, o);
    if (!now || statusOf(now).phase === "Bound") return;
    const spec = specOf(now);
    const requests = isObject(spec.resources) && isObject(spec.resources.requests)
      ? spec.resources.requests
      : {};
    ctx.writeStatus(rt, now, {
      phase: "Bound",
      accessModes: spec.accessModes ?? ["ReadWriteOnce"],
      capacity: { storage: requests.storage ?? "1Gi" },
    });
  });
}
