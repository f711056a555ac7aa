// Cross-document checks of references: every sourceRef, dependsOn, imageRepositoryRef,
// providerRef and include must name an object of the right kind defined in the same file,
// and with noCrossNamespaceRefs, in the referrer's namespace.
import type { FluxObject } from "./objects.ts";
import { closest } from "./schema/mod.ts";

/** One reference found in an object's spec. */
export interface Reference {
  from: FluxObject;
  /** Field path of the reference, e.g. "spec.dependsOn[1]". */
  path: string;
  kind: string;
  namespace: string;
  name: string;
}

// Kinds Flux allows in a reference that skiff has no implementation of.
const UNSUPPORTED_KINDS: Record<string, string> = {
  Bucket: "skiff has no Bucket source; use a GitRepository or OCIRepository",
  HelmChart:
    "skiff has no HelmChart kind; use chart.spec with a HelmRepository, or an OCIRepository",
};

/** Every reference an object makes to another object of the config. */
export function referencesOf(o: FluxObject): Reference[] {
  const refs: Reference[] = [];
  const ns = o.metadata.namespace;
  const add = (path: string, kind: string, name: string, namespace = ns) =>
    refs.push({ from: o, path, kind, name, namespace });
  switch (o.kind) {
    case "GitRepository":
      o.spec.include?.forEach((inc, i) =>
        add(`spec.include[${i}].repository`, "GitRepository", inc.repository.name)
      );
      break;
    case "Kustomization":
      add(
        "spec.sourceRef",
        o.spec.sourceRef.kind,
        o.spec.sourceRef.name,
        o.spec.sourceRef.namespace,
      );
      o.spec.dependsOn?.forEach((d, i) =>
        add(`spec.dependsOn[${i}]`, "Kustomization", d.name, d.namespace)
      );
      break;
    case "HelmRelease": {
      const chartSource = o.spec.chart?.spec.sourceRef;
      if (chartSource) {
        add("spec.chart.spec.sourceRef", chartSource.kind, chartSource.name, chartSource.namespace);
      }
      const chartRef = o.spec.chartRef;
      if (chartRef) add("spec.chartRef", chartRef.kind, chartRef.name, chartRef.namespace);
      o.spec.dependsOn?.forEach((d, i) =>
        add(`spec.dependsOn[${i}]`, "HelmRelease", d.name, d.namespace)
      );
      break;
    }
    case "ImagePolicy":
      add(
        "spec.imageRepositoryRef",
        "ImageRepository",
        o.spec.imageRepositoryRef.name,
        o.spec.imageRepositoryRef.namespace,
      );
      break;
    case "ImageUpdateAutomation":
      add(
        "spec.sourceRef",
        o.spec.sourceRef.kind,
        o.spec.sourceRef.name,
        o.spec.sourceRef.namespace,
      );
      break;
    case "Alert":
      add("spec.providerRef", "Provider", o.spec.providerRef.name);
      break;
  }
  return refs;
}

export interface ReferenceProblem {
  from: FluxObject;
  path: string;
  message: string;
}

/** Checks every reference of `objects` against `objects`. */
export function checkReferences(
  objects: FluxObject[],
  options: { noCrossNamespaceRefs: boolean },
): ReferenceProblem[] {
  const byKey = new Map<string, FluxObject>();
  for (const o of objects) byKey.set(`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`, o);
  const problems: ReferenceProblem[] = [];
  for (const o of objects) {
    for (const ref of referencesOf(o)) {
      const ownNamespace = ref.from.metadata.namespace;
      if (options.noCrossNamespaceRefs && ref.namespace !== ownNamespace) {
        problems.push({
          from: o,
          path: `${ref.path}.namespace`,
          message:
            `cross-namespace reference to ${ref.kind} "${ref.namespace}/${ref.name}" is not ` +
            `allowed (the Agent sets noCrossNamespaceRefs)`,
        });
        continue;
      }
      if (byKey.has(`${ref.kind}/${ref.namespace}/${ref.name}`)) continue;
      problems.push({ from: o, path: ref.path, message: describeMissing(ref, objects) });
    }
  }
  return problems;
}

function describeMissing(ref: Reference, objects: FluxObject[]): string {
  const ownNamespace = ref.from.metadata.namespace;
  const show = (namespace: string, name: string) =>
    JSON.stringify(namespace === ownNamespace ? name : `${namespace}/${name}`);
  const head = `${ref.kind} ${show(ref.namespace, ref.name)} is not defined`;
  const unsupported = UNSUPPORTED_KINDS[ref.kind];
  if (unsupported) return `${head}\n  (${unsupported})`;

  const sameName = objects.find((o) =>
    o.kind !== ref.kind && o.metadata.name === ref.name && o.metadata.namespace === ref.namespace
  );
  if (sameName && (ref.path.endsWith("sourceRef") || ref.path === "spec.chartRef")) {
    const other = `${sameName.kind} ${show(ref.namespace, ref.name)}`;
    return `${head}\n  (${other} is defined; did you mean kind: ${sameName.kind}?)`;
  }
  const candidates = objects.filter((o) => o.kind === ref.kind && o !== ref.from);
  if (candidates.length === 0) return `${head}\n  (no ${ref.kind} is defined in the file)`;
  const labels = candidates.map((o) => show(o.metadata.namespace, o.metadata.name));
  const shown = labels.slice(0, 5).map((l) => `${ref.kind} ${l}`).join(", ") +
    (labels.length > 5 ? `, and ${labels.length - 5} more` : "");
  const wanted = ref.namespace === ownNamespace ? ref.name : `${ref.namespace}/${ref.name}`;
  const guess = closest(wanted, labels.map((l) => JSON.parse(l) as string));
  const hint = guess === undefined
    ? ""
    : labels.length === 1
    ? "; did you mean that?"
    : `; did you mean ${JSON.stringify(guess)}?`;
  return `${head}\n  (defined: ${shown}${hint})`;
}
