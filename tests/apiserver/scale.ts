// The /scale subresource: an autoscaling/v1 Scale view of a workload's replicas.
import type { Api, WriteOptions } from "./api.ts";
import type { ResourceType } from "./catalog.ts";
import { meta, specOf, statusOf } from "./objects.ts";
import { isObject, type JsonObject } from "./ssa/typed.ts";

function selectorString(o: JsonObject): string {
  const sel = specOf(o).selector;
  if (!isObject(sel)) return typeof sel === "string" ? sel : "";
  const ml = isObject(sel.matchLabels) ? sel.matchLabels : {};
  return Object.entries(ml).map(([k, v]) => `${k}=${v}`).join(",");
}

export function scaleOf(_rt: ResourceType, o: JsonObject): JsonObject {
  const m = meta(o);
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: Number(specOf(o).replicas ?? 0) },
    status: { replicas: Number(statusOf(o).replicas ?? 0), selector: selectorString(o) },
  };
}

export function setScale(
  api: Api,
  rt: ResourceType,
  namespace: string | undefined,
  name: string,
  replicas: number,
  opts: WriteOptions,
): JsonObject {
  const live = api.get(rt, namespace, name);
  const next = structuredClone(live);
  next.spec = { ...specOf(next), replicas };
  return api.update(rt, namespace, name, next, { ...opts, subresource: undefined });
}
