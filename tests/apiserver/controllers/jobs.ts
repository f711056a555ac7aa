// Jobs start, then complete after the rollout delay (or fail when marked to), with the
// conditions and counts the real Job controller writes.
import type { ResourceType } from "../catalog.ts";
import { meta, specOf, statusOf, timestamp } from "../objects.ts";
import { isObject, type JsonObject } from "../ssa/typed.ts";
import { type ControllerContext, FAIL_ANNOTATION } from "./context.ts";

export function reconcileJob(ctx: ControllerContext, rt: ResourceType, o: JsonObject): void {
  if (meta(o).deletionTimestamp || statusOf(o).startTime || specOf(o).suspend === true) return;
  ctx.later(0, () => {
    const now = ctx.fresh(rt, o);
    if (!now || statusOf(now).startTime) return;
    const start = timestamp();
    ctx.writeStatus(rt, now, { startTime: start, active: 1, ready: 0, terminating: 0 });
    ctx.later(ctx.rolloutDelayMs, () => {
      const later = ctx.fresh(rt, now);
      if (!later) return;
      const a = meta(later).annotations;
      const fail = isObject(a) && a[FAIL_ANNOTATION] === "true";
      const t = timestamp();
      const completions = Number(specOf(later).completions ?? 1);
      const cond = (type: string, reason: string, message: string) => ({
        type,
        status: "True",
        lastProbeTime: t,
        lastTransitionTime: t,
        reason,
        message,
      });
      const status: JsonObject = fail
        ? {
          startTime: start,
          failed: Number(specOf(later).backoffLimit ?? 6) + 1,
          terminating: 0,
          ready: 0,
          conditions: [
            cond(
              "FailureTarget",
              "BackoffLimitExceeded",
              "Job has reached the specified backoff limit",
            ),
            cond("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
          ],
        }
        : {
          startTime: start,
          completionTime: t,
          succeeded: completions,
          terminating: 0,
          ready: 0,
          conditions: [
            cond(
              "SuccessCriteriaMet",
              "CompletionsReached",
              "Reached expected number of succeeded pods",
            ),
            cond("Complete", "CompletionsReached", "Reached expected number of succeeded pods"),
          ],
        };
      ctx.writeStatus(rt, later, status);
    });
  });
}
