// Patch and replacement targets: group/version/kind/name/namespace, where name and namespace are
// anchored regular expressions matched against the current or any earlier value, plus label and
// annotation selectors in Kubernetes syntax ("app=web,tier!=db,env in (a,b),!legacy").
import type { Selector } from "./kustomization.ts";
import type { ResMap } from "./resmap.ts";
import type { Resource } from "./resource.ts";

export class SelectorError extends Error {
  override readonly name = "SelectorError";
}

function anchored(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch (e) {
    throw new SelectorError(`invalid regular expression "${pattern}": ${(e as Error).message}`);
  }
}

type Requirement = (labels: Record<string, string>) => boolean;

export function parseLabelSelector(selector: string): Requirement[] {
  const out: Requirement[] = [];
  // Split on commas that are not inside parentheses.
  const parts: string[] = [];
  let depth = 0, cur = "";
  for (const c of selector) {
    if (c === "(") depth++;
    if (c === ")") depth--;
    if (c === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += c;
  }
  if (cur.trim()) parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    let m: RegExpMatchArray | null;
    if ((m = p.match(/^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      const [, key, op, list] = m;
      const values = list.split(",").map((s) => s.trim());
      out.push(
        op === "in"
          ? (l) => key in l && values.includes(l[key])
          : (l) => !(key in l) || !values.includes(l[key]),
      );
    } else if ((m = p.match(/^([^\s!=]+)\s*!=\s*(\S*)$/))) {
      const [, key, value] = m;
      out.push((l) => l[key] !== value);
    } else if ((m = p.match(/^([^\s!=]+)\s*==?\s*(\S*)$/))) {
      const [, key, value] = m;
      out.push((l) => l[key] === value);
    } else if ((m = p.match(/^!([^\s!=]+)$/))) {
      const key = m[1];
      out.push((l) => !(key in l));
    } else if ((m = p.match(/^([^\s!=()]+)$/))) {
      const key = m[1];
      out.push((l) => key in l);
    } else {
      throw new SelectorError(`invalid selector "${selector}" near "${p}"`);
    }
  }
  return out;
}

export function compileSelector(s: Selector): (r: Resource) => boolean {
  const name = s.name ? anchored(s.name) : undefined;
  const namespace = s.namespace ? anchored(s.namespace) : undefined;
  const labels = s.labelSelector ? parseLabelSelector(s.labelSelector) : [];
  const annotations = s.annotationSelector ? parseLabelSelector(s.annotationSelector) : [];
  return (r) => {
    const gvk = r.gvk;
    if (s.group && s.group !== gvk.group) return false;
    if (s.version && s.version !== gvk.version) return false;
    if (s.kind && s.kind !== gvk.kind) return false;
    const ids = r.allIds();
    if (namespace && !ids.some((id) => namespace.test(id.namespace))) return false;
    if (name && !ids.some((id) => name.test(id.name))) return false;
    if (labels.length > 0) {
      const l = r.labels();
      if (!labels.every((req) => req(l))) return false;
    }
    if (annotations.length > 0) {
      const a = r.annotations();
      if (!annotations.every((req) => req(a))) return false;
    }
    return true;
  };
}

export function selectResources(resources: ResMap, s: Selector): Resource[] {
  const matches = compileSelector(s);
  return resources.list.filter(matches);
}
