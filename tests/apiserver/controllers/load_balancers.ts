// Services of type LoadBalancer get an ingress IP, as a cloud controller would give them.
import type { ResourceType } from "../catalog.ts";
import { meta, specOf, statusOf } from "../objects.ts";
import { isObject, type JsonObject } from "../ssa/typed.ts";
import type { ControllerContext } from "./context.ts";

let nextLbIp = 1;

export function reconcileService(ctx: ControllerContext, rt: ResourceType, o: JsonObject): void {
  if (specOf(o).type !== "LoadBalancer" || meta(o).deletionTimestamp) return;
  const lb = statusOf(o).loadBalancer;
  if (isObject(lb) && Array.isArray(lb.ingress) && lb.ingress.length > 0) return;
  ctx.later(Math.min(ctx.rolloutDelayMs, 50), () => {
    const now = ctx.fresh(rt, o);
    if (!now || specOf(now).type !== "LoadBalancer") return;
    const ip = `172.18.255.${(nextLbIp++ % 250) + 1}`;
    ctx.writeStatus(rt, now, { loadBalancer: { ingress: [{ ip, ipMode: "VIP" }] } });
  });
}
