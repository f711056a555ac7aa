// Namespaces: a new one gets its "default" ServiceAccount and "kube-root-ca.crt" ConfigMap; a
// deleted one is Terminating until all its content is gone, then it is removed.
import { storageKey } from "../catalog.ts";
import { meta, nameOf, namespaceOf } from "../objects.ts";
import type { JsonObject } from "../ssa/typed.ts";
import { CONTROLLER_MANAGER, type ControllerContext } from "./context.ts";
import { typeOfKey } from "./garbage_collector.ts";

export function reconcileNamespace(ctx: ControllerContext, ns: JsonObject, caPem: string): void {
  const name = nameOf(ns);
  if (meta(ns).deletionTimestamp) {
    ctx.later(0, () => drain(ctx, name));
    return;
  }
  ctx.later(0, () => {
    const sa = ctx.type("", "serviceaccounts");
    const cm = ctx.type("", "configmaps");
    if (sa && !ctx.api.tryGet(sa, name, "default")) {
      create(ctx, sa, name, {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: { name: "default", namespace: name },
      });
    }
    if (cm && !ctx.api.tryGet(cm, name, "kube-root-ca.crt")) {
      create(ctx, cm, name, {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: {
          name: "kube-root-ca.crt",
          namespace: name,
          annotations: {
            "kubernetes.io/description":
              "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.",
          },
        },
        data: { "ca.crt": caPem },
      });
    }
  });
}

function create(
  ctx: ControllerContext,
  rt: ReturnType<ControllerContext["type"]>,
  ns: string,
  o: JsonObject,
): void {
  const nsType = ctx.type("", "namespaces");
  const live = nsType && ctx.api.tryGet(nsType, undefined, ns);
  if (!rt || !live || meta(live).deletionTimestamp) return;
  ctx.api.create(rt, ns, o, { fieldManager: CONTROLLER_MANAGER });
}

function drain(ctx: ControllerContext, name: string): void {
  const nsType = ctx.type("", "namespaces");
  if (!nsType) return;
  const ns = ctx.api.tryGet(nsType, undefined, name);
  if (!ns || !meta(ns).deletionTimestamp) return;
  let remaining = 0;
  for (const key of ctx.api.store.keys()) {
    const rt = typeOfKey(ctx.catalog, key);
    if (!rt || !rt.namespaced) continue;
    for (const o of ctx.api.store.list(key, name)) {
      remaining++;
      if (!meta(o).deletionTimestamp) {
        ctx.api.delete(rt, namespaceOf(o), nameOf(o), { propagationPolicy: "Background" });
      }
    }
  }
  const left = ctx.api.store.keys().some((k) => {
    const rt = typeOfKey(ctx.catalog, k);
    return rt?.namespaced && ctx.api.store.list(k, name).length > 0;
  });
  if (left || remaining < 0) {
    ctx.later(20, () => drain(ctx, name));
    return;
  }
  const gone = structuredClone(ns);
  meta(gone).resourceVersion = String(ctx.api.store.nextResourceVersion());
  ctx.api.store.remove(storageKey("", "namespaces"), gone);
}
