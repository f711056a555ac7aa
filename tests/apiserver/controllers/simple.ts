// The small controllers: Jobs complete (or fail), PersistentVolumeClaims bind, LoadBalancer
// Services get an ingress IP, and ServiceAccount token Secrets get their token.
import type { ResourceType } from "../catalog.ts";
import { meta, specOf, statusOf, timestamp } from "../objects.ts";
import { isObject, type JsonObject } from "../ssa/typed.ts";
import { type ControllerContext, FAIL_ANNOTATION } from "./context.ts";
import type { Authenticator } from "../auth/authn.ts";

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

export function reconcileTokenSecret(
  ctx: ControllerContext,
  rt: ResourceType,
  o: JsonObject,
  authn: Authenticator,
  caPem: string,
): void {
  if (o.type !== "kubernetes.io/service-account-token") return;
  const data = isObject(o.data) ? o.data : {};
  if (data.token) return;
  const annotations = isObject(meta(o).annotations) ? meta(o).annotations as JsonObject : {};
  const saName = annotations["kubernetes.io/service-account.name"];
  if (typeof saName !== "string") return;
  ctx.later(0, () => {
    const now = ctx.fresh(rt, o);
    const saType = ctx.type("", "serviceaccounts");
    if (!now || !saType) return;
    const namespace = String(meta(now).namespace);
    const sa = ctx.api.tryGet(saType, namespace, saName);
    if (!sa) return;
    const token = authn.issueServiceAccountToken({
      namespace,
      name: saName,
      uid: String(meta(sa).uid),
    });
    const b64 = (s: string) => btoa(s);
    const next = structuredClone(now);
    next.data = { ...data, token: b64(token), namespace: b64(namespace), "ca.crt": b64(caPem) };
    const m = meta(next);
    m.annotations = { ...annotations, "kubernetes.io/service-account.uid": String(meta(sa).uid) };
    ctx.api.update(rt, namespace, String(m.name), next, {
      fieldManager: "kube-controller-manager",
    });
  });
}
