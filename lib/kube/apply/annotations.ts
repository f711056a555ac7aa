// Flux's per-object annotations and what each one asks of the apply engine
// (https://fluxcd.io/flux/components/kustomize/kustomizations/#controlling-the-apply-behavior-of-resources).
import type { KubeObject } from "../types.ts";

export const SSA_ANNOTATION = "kustomize.toolkit.fluxcd.io/ssa";
export const PRUNE_ANNOTATION = "kustomize.toolkit.fluxcd.io/prune";
export const FORCE_ANNOTATION = "kustomize.toolkit.fluxcd.io/force";
export const RECONCILE_ANNOTATION = "kustomize.toolkit.fluxcd.io/reconcile";

/** Why an object is left alone, or undefined when it is applied. */
export function exclusionReason(
  obj: KubeObject | undefined,
  where: "desired" | "live",
): string | undefined {
  const a = obj?.metadata.annotations;
  if (!a) return undefined;
  if (a[RECONCILE_ANNOTATION] === "disabled") {
    return `${
      where === "live" ? "the cluster object" : "the object"
    } has ${RECONCILE_ANNOTATION}: disabled`;
  }
  if (a[SSA_ANNOTATION] === "Ignore") {
    return `${
      where === "live" ? "the cluster object" : "the object"
    } has ${SSA_ANNOTATION}: Ignore`;
  }
  return undefined;
}

/** `ssa: IfNotPresent`: create the object when missing, never touch it afterwards. */
export function isIfNotPresent(obj: KubeObject): boolean {
  return obj.metadata.annotations?.[SSA_ANNOTATION] === "IfNotPresent";
}

/**
 * `ssa: Merge`: keep fields other tools set with kubectl (client-side apply, edit), instead of
 * removing their field managers so that Git's version wins completely.
 */
export function isMerge(obj: KubeObject): boolean {
  return obj.metadata.annotations?.[SSA_ANNOTATION] === "Merge";
}

export function isPruneDisabled(obj: KubeObject): boolean {
  return obj.metadata.annotations?.[PRUNE_ANNOTATION] === "disabled";
}

/** Flux neither applies nor prunes an object with `reconcile: disabled`. */
export function isReconcileDisabled(obj: KubeObject): boolean {
  return obj.metadata.annotations?.[RECONCILE_ANNOTATION] === "disabled";
}

export function isForceEnabled(obj: KubeObject): boolean {
  return obj.metadata.annotations?.[FORCE_ANNOTATION] === "enabled";
}
