// RBAC authorization exactly as Kubernetes defines it: ClusterRoleBindings grant cluster-wide,
// RoleBindings grant within their namespace (to a Role there or a ClusterRole), rules match
// verbs, apiGroups, resources (with "resource/subresource" and "*/subresource"), resourceNames,
// and nonResourceURLs (with a trailing "*" prefix match). system:masters may do everything.
import type { JsonObject } from "../ssa/typed.ts";
import type { UserInfo } from "./authn.ts";

export interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface AuthzAttributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  path: string;
  namespace?: string;
  apiGroup: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

/** Read access to the RBAC objects in the store. */
export interface RbacSource {
  clusterRoles(): JsonObject[];
  clusterRoleBindings(): JsonObject[];
  roles(namespace: string): JsonObject[];
  roleBindings(namespace: string): JsonObject[];
}

function has(list: string[] | undefined, value: string): boolean {
  return !!list && (list.includes("*") || list.includes(value));
}

function resourceMatches(rule: PolicyRule, resource: string, subresource?: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const r of rule.resources ?? []) {
    if (r === "*" || r === combined) return true;
    if (subresource && r === `*/${subresource}`) return true;
  }
  return false;
}

function nonResourceMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === "*" || u === path) return true;
    if (u.endsWith("*") && path.startsWith(u.slice(0, -1))) return true;
  }
  return false;
}

export function ruleAllows(rule: PolicyRule, a: AuthzAttributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (!a.isResourceRequest) return nonResourceMatches(rule, a.path);
  if (!has(rule.apiGroups, a.apiGroup)) return false;
  if (!resourceMatches(rule, a.resource ?? "", a.subresource)) return false;
  const names = rule.resourceNames ?? [];
  if (names.length === 0) return true;
  return !!a.name && names.includes(a.name);
}

function subjectMatches(s: Subject, user: UserInfo, bindingNamespace: string): boolean {
  switch (s.kind) {
    case "User":
      return s.name === user.name;
    case "Group":
      return user.groups.includes(s.name);
    case "ServiceAccount": {
      const ns = s.namespace || bindingNamespace;
      return user.name === `system:serviceaccount:${ns}:${s.name}`;
    }
    default:
      return false;
  }
}

function rulesOf(o: JsonObject | undefined): PolicyRule[] {
  return (o?.rules as PolicyRule[] | undefined) ?? [];
}

function nameOf(o: JsonObject): string {
  return String((o.metadata as JsonObject | undefined)?.name ?? "");
}

export interface Decision {
  allowed: boolean;
  reason: string;
}

export class RbacAuthorizer {
  constructor(private readonly source: RbacSource) {}

  /** The rules that apply to a user in a namespace (all cluster-wide ones, plus that namespace's). */
  rulesFor(user: UserInfo, namespace?: string): PolicyRule[] {
    const clusterRoles = new Map(this.source.clusterRoles().map((r) => [nameOf(r), r]));
    const out: PolicyRule[] = [];
    for (const b of this.source.clusterRoleBindings()) {
      const subjects = (b.subjects as unknown as Subject[] | undefined) ?? [];
      if (!subjects.some((s) => subjectMatches(s, user, ""))) continue;
      const ref = b.roleRef as { kind: string; name: string } | undefined;
      if (ref?.kind === "ClusterRole") out.push(...rulesOf(clusterRoles.get(ref.name)));
    }
    if (namespace) {
      const roles = new Map(this.source.roles(namespace).map((r) => [nameOf(r), r]));
      for (const b of this.source.roleBindings(namespace)) {
        const subjects = (b.subjects as unknown as Subject[] | undefined) ?? [];
        if (!subjects.some((s) => subjectMatches(s, user, namespace))) continue;
        const ref = b.roleRef as { kind: string; name: string } | undefined;
        if (ref?.kind === "ClusterRole") out.push(...rulesOf(clusterRoles.get(ref.name)));
        else if (ref?.kind === "Role") out.push(...rulesOf(roles.get(ref.name)));
      }
    }
    return out;
  }

  authorize(a: AuthzAttributes): Decision {
    if (a.user.groups.includes("system:masters")) {
      return { allowed: true, reason: "system:masters may do everything" };
    }
    const rules = this.rulesFor(a.user, a.isResourceRequest ? a.namespace : undefined);
    if (rules.some((r) => ruleAllows(r, a))) return { allowed: true, reason: "allowed by RBAC" };
    return { allowed: false, reason: "" };
  }
}
