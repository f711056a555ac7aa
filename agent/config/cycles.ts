// Cycles in dependsOn: a Kustomization (or HelmRelease) that waits, through any chain, on
// itself would never be applied. Each cycle is reported once, naming every member.
import type { FluxObject } from "./objects.ts";

export interface DependencyCycle {
  /** The member that appears first in the file; the problem is reported on it. */
  first: FluxObject;
  /** Members in dependency order, starting and ending with `first`. */
  members: FluxObject[];
}

export function findDependencyCycles(objects: FluxObject[]): DependencyCycle[] {
  const key = (kind: string, namespace: string, name: string) => `${kind}/${namespace}/${name}`;
  const byKey = new Map<string, FluxObject>();
  for (const o of objects) byKey.set(key(o.kind, o.metadata.namespace, o.metadata.name), o);
  const edges = (o: FluxObject): FluxObject[] => {
    if (o.kind !== "Kustomization" && o.kind !== "HelmRelease") return [];
    return (o.spec.dependsOn ?? [])
      .map((d) => byKey.get(key(o.kind, d.namespace, d.name)))
      .filter((d): d is FluxObject => d !== undefined);
  };

  const cycles: DependencyCycle[] = [];
  const seen = new Set<string>();
  const state = new Map<FluxObject, "visiting" | "done">();
  const stack: FluxObject[] = [];
  const visit = (o: FluxObject) => {
    state.set(o, "visiting");
    stack.push(o);
    for (const next of edges(o)) {
      const s = state.get(next);
      if (s === "visiting") {
        const loop = stack.slice(stack.indexOf(next));
        const first = loop.reduce((a, b) =>
          a.origin.documentIndex <= b.origin.documentIndex ? a : b
        );
        const start = loop.indexOf(first);
        const members = [...loop.slice(start), ...loop.slice(0, start), first];
        const id = members.map((m) => key(m.kind, m.metadata.namespace, m.metadata.name)).join(">");
        if (!seen.has(id)) {
          seen.add(id);
          cycles.push({ first, members });
        }
      } else if (s === undefined) {
        visit(next);
      }
    }
    stack.pop();
    state.set(o, "done");
  };
  for (const o of objects) if (!state.has(o)) visit(o);
  return cycles.sort((a, b) => a.first.origin.documentIndex - b.first.origin.documentIndex);
}
