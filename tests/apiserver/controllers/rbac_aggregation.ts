// ClusterRole aggregation: a ClusterRole with an aggregationRule gets the rules of every
// ClusterRole its selectors match.
import { labelsOf, nameOf } from "../objects.ts";
import { type LabelSelectorSpec, matchesLabelSelector } from "../selectors.ts";
import { deepEqual, isObject, type JsonObject } from "../ssa/typed.ts";
import type { ControllerContext } from "./context.ts";

export function aggregateClusterRoles(ctx: ControllerContext): void {
  const rt = ctx.type("rbac.authorization.k8s.io", "clusterroles");
  if (!rt) return;
  const all = ctx.api.list(rt, undefined).items;
  for (const role of all) {
    const rule = role.aggregationRule;
    if (!isObject(rule) || !Array.isArray(rule.clusterRoleSelectors)) continue;
    const selectors = rule.clusterRoleSelectors as unknown as LabelSelectorSpec[];
    const rules: JsonObject[] = [];
    for (const other of all) {
      if (nameOf(other) === nameOf(role)) continue;
      if (!selectors.some((s) => matchesLabelSelector(s, labelsOf(other)))) continue;
      for (const r of (other.rules as JsonObject[] | undefined) ?? []) {
        if (!rules.some((x) => deepEqual(x, r))) rules.push(r);
      }
    }
    if (deepEqual(role.rules ?? [], rules)) continue;
    const next = { ...structuredClone(role), rules };
    ctx.api.update(rt, undefined, nameOf(role), next, {
      fieldManager: "clusterrole-aggregation-controller",
    });
  }
}
