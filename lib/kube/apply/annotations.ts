// Flux's per-object markers and what each one asks of the apply engine
// (https://fluxcd.io/flux/components/kustomize/kustomizations/#controlling-the-apply-behavior-of-resources).
// Flux reads them from annotations or labels alike, so skiff does too.
import type { KubeObject } from "../types.ts";

export const SSA_ANNOTATION = "kustomize.toolkit.fluxcd.io/ssa";
export const PRUNE_ANNOTATION = "kustomize.toolkit.fluxcd.io/prune";
export const FORCE_ANNOTATION = "kustomize.toolkit.fluxcd.io/force";
export const RECONCILE_ANNOTATION = "kustomize.toolkit.fluxcd.io/reconcile";

/** The value of a marker, from the annotations or else the labels. */
function marker(obj: KubeObject | undefined, key: string): string | undefined {
  return obj?.metadata.annotations?.[key] ?? obj?.metadata.labels?.[key];
}

/** Why an object is left alone, or undefined when it is applied. */
export function exclusionReason(
  obj: KubeObject | undefined,
  where: "desired" | "live",
): string | undefined {
  const subject = where === "live" ? "the cluster object" : "the object";
  if (marker(obj, RECONCILE_ANNOTATION) === "disabled") {
    return `${subject} has ${RECONCILE_ANNOTATION}: disabled`;
  }
  if (marker(obj, SSA_ANNOTATION) === "Ignore") return `${subject} has ${SSA_ANNOTATION}: Ignore`;
  return undefined;
}

/** `ssa: IfNotPresent`: create the object when missing, never touch it afterwards. */
export function isIfNotPresent(obj: KubeObject): boolean {
  return marker(obj, SSA_ANNOTATION) === "IfNotPresent";
}

/**
 * `ssa: Merge`: keep fields other tools set with kubectl (client-side apply, edit), instead of
 * taking them over so that Git's version wins completely.
 */
export function isMerge(obj: KubeObject): boolean {
  return marker(obj, SSA_ANNOTATION) === "Merge";
}

export function isPruneDisabled(obj: KubeObject): boolean {
  return marker(obj, PRUNE_ANNOTATION) === "disabled";
}

/** Flux neither applies nor prunes an object with `reconcile: disabled`. */
export function isReconcileDisabled(obj: KubeObject): boolean {
  return marker(obj, RECONCILE_ANNOTATION) === "disabled";
}

/** `force: enabled`: recreate the object when an immutable field changes. */
export function isForceEnabled(obj: KubeObject): boolean {
  return marker(obj, FORCE_ANNOTATION) === "enabled";
}
