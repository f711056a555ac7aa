// CustomResourceDefinitions: once created, their names are accepted and they become
// Established (asynchronously, as the real server does), and their versions are served with the
// openAPIV3Schema kept for apply; deleting one removes its objects and then its resources.
import type { Catalog, JsonSchema, ResourceType } from "../catalog.ts";
import { storageKey } from "../catalog.ts";
import { finalizersOf, meta, nameOf, specOf, statusOf, timestamp } from "../objects.ts";
import { isObject, type JsonObject } from "../ssa/typed.ts";
import type { ControllerContext } from "./context.ts";

const CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

export function crdResourceTypes(crd: JsonObject): ResourceType[] {
  const spec = specOf(crd);
  const names = isObject(spec.names) ? spec.names : {};
  const group = String(spec.group ?? "");
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
  const served = versions.filter((v) => v.served !== false);
  const storage = versions.find((v) => v.storage === true) ?? served[0];
  return served.map((v) => {
    const subs = isObject(v.subresources) ? v.subresources : {};
    const subresources: ResourceType["subresources"] = {};
    const version = String(v.name);
    if (isObject(subs.status)) {
      subresources.status = {
        verbs: ["get", "patch", "update"],
        group,
        version,
        kind: String(names.kind),
      };
    }
    if (isObject(subs.scale)) {
      subresources.scale = {
        verbs: ["get", "patch", "update"],
        group: "autoscaling",
        version: "v1",
        kind: "Scale",
      };
    }
    const schema = isObject(v.schema) && isObject(v.schema.openAPIV3Schema)
      ? v.schema.openAPIV3Schema as unknown as JsonSchema
      : undefined;
    return {
      group,
      version,
      apiVersion: `${group}/${version}`,
      kind: String(names.kind),
      listKind: String(names.listKind ?? `${names.kind}List`),
      resource: String(names.plural),
      singularName: String(names.singular ?? String(names.kind).toLowerCase()),
      namespaced: spec.scope === "Namespaced",
      verbs: ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"],
      shortNames: Array.isArray(names.shortNames) ? names.shortNames.map(String) : [],
      categories: Array.isArray(names.categories) ? names.categories.map(String) : [],
      subresources,
      crdSchema: schema,
      crdName: nameOf(crd),
      preferred: v === storage,
    };
  });
}

export function printerColumnsOf(crd: JsonObject | undefined, version: string): JsonObject[] {
  if (!crd) return [];
  const versions = Array.isArray(specOf(crd).versions) ? specOf(crd).versions as JsonObject[] : [];
  const v = versions.find((x) => isObject(x) && x.name === version);
  return v && Array.isArray(v.additionalPrinterColumns)
    ? v.additionalPrinterColumns as JsonObject[]
    : [];
}

export function reconcileCrd(
  ctx: ControllerContext,
  rt: ResourceType,
  crd: JsonObject,
  catalog: Catalog,
): void {
  const name = nameOf(crd);
  if (meta(crd).deletionTimestamp) {
    ctx.later(0, () => removeCrd(ctx, rt, name, catalog));
    return;
  }
  ctx.later(5, () => {
    const now = ctx.fresh(rt, crd);
    if (!now || meta(now).deletionTimestamp) return;
    catalog.setCrd(name, crdResourceTypes(now));
    const conds = Array.isArray(statusOf(now).conditions)
      ? statusOf(now).conditions as JsonObject[]
      : [];
    const established = conds.some((c) => c.type === "Established" && c.status === "True");
    if (!finalizersOf(now).includes(CLEANUP_FINALIZER)) {
      const next = structuredClone(now);
      meta(next).finalizers = [...finalizersOf(now), CLEANUP_FINALIZER];
      ctx.api.update(rt, undefined, name, next, { fieldManager: "kube-apiserver" });
    }
    const latest = ctx.fresh(rt, now);
    if (!latest) return;
    const spec = specOf(latest);
    if (
      established && JSON.stringify(statusOf(latest).acceptedNames) === JSON.stringify(spec.names)
    ) {
      return;
    }
    const t = timestamp();
    const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
    ctx.writeStatus(rt, latest, {
      acceptedNames: spec.names ?? {},
      conditions: [
        {
          type: "NamesAccepted",
          status: "True",
          lastTransitionTime: t,
          reason: "NoConflicts",
          message: "no conflicts found",
        },
        {
          type: "Established",
          status: "True",
          lastTransitionTime: t,
          reason: "InitialNamesAccepted",
          message: "the initial names have been accepted",
        },
      ],
      storedVersions: versions.filter((v) => v.storage === true).map((v) => String(v.name)),
    });
  });
}

function removeCrd(ctx: ControllerContext, rt: ResourceType, name: string, catalog: Catalog): void {
  const crd = ctx.api.tryGet(rt, undefined, name);
  if (crd) {
    const spec = specOf(crd);
    const names = isObject(spec.names) ? spec.names : {};
    const key = storageKey(String(spec.group), String(names.plural));
    const types = catalog.versionsOf(String(spec.group), String(names.plural));
    const crType = types[0];
    if (crType) {
      for (const o of ctx.api.store.list(key)) {
        // Custom resources of a deleted definition go away, finalizers or not.
        const gone = structuredClone(o);
        meta(gone).resourceVersion = String(ctx.api.store.nextResourceVersion());
        ctx.api.store.remove(key, gone);
      }
    }
    catalog.removeCrd(name);
    if (finalizersOf(crd).includes(CLEANUP_FINALIZER)) {
      const next = structuredClone(crd);
      meta(next).finalizers = finalizersOf(crd).filter((f) => f !== CLEANUP_FINALIZER);
      ctx.api.update(rt, undefined, name, next, { fieldManager: "kube-apiserver" });
    }
  } else {
    catalog.removeCrd(name);
  }
}
