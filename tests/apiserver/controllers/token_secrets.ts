// Secrets of type kubernetes.io/service-account-token get a token for their ServiceAccount.
import type { Authenticator } from "../auth/authn.ts";
import type { ResourceType } from "../catalog.ts";
import { meta } from "../objects.ts";
import { isObject, type JsonObject } from "../ssa/typed.ts";
import type { ControllerContext } from "./context.ts";

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
