// Drift detection, which Helm itself never does: each object of the release manifest is
// applied as a server-side dry run and the result compared with the live object, leaving out
// the paths of matching `ignore` rules. In mode "enabled" the drifted objects are applied for
// real (ignored paths keep their live values), in "warn" they are only reported. Objects labelled
// or annotated `helm.toolkit.fluxcd.io/driftDetection: disabled` are left out entirely.
import { type ActionEnv, manifestObjects, markOwnership } from "../../lib/helm/actions/mod.ts";
import { describeId, idOf, type KubeObject } from "../../lib/kube/mod.ts";
import type { Release } from "../../lib/helm/release/mod.ts";
import { copyPointer } from "./json_pointer.ts";

export interface DriftIgnoreRule {
  paths: string[];
  target?: {
    group?: string;
    version?: string;
    kind?: string;
    name?: string;
    namespace?: string;
    labelSelector?: string;
    annotationSelector?: string;
  };
}

export interface DriftReport {
  /** Objects that differ from (or are missing against) the manifest. */
  drifted: string[];
  corrected: boolean;
}

/** `a=b,c=d` and bare `a` (exists) selectors, enough for Flux's target selectors. */
function selectorMatches(selector: string | undefined, values: Record<string, string> = {}) {
  if (!selector) return true;
  return selector.split(",").map((s) => s.trim()).filter(Boolean).every((term) => {
    const neq = term.split("!=");
    if (neq.length === 2) return values[neq[0].trim()] !== neq[1].trim();
    const eq = term.split(/==?/);
    if (eq.length === 2) return values[eq[0].trim()] === eq[1].trim();
    return term.startsWith("!") ? !(term.slice(1) in values) : term in values;
  });
}

function full(pattern: string | undefined, value: string): boolean {
  return pattern === undefined || new RegExp(`^(?:${pattern})$`).test(value);
}

export function ruleMatches(rule: DriftIgnoreRule, obj: KubeObject): boolean {
  const t = rule.target;
  if (!t) return true;
  const [group, version] = obj.apiVersion.includes("/")
    ? obj.apiVersion.split("/")
    : ["", obj.apiVersion];
  return (t.group === undefined || t.group === group) &&
    (t.version === undefined || t.version === version) &&
    (t.kind === undefined || t.kind === obj.kind) &&
    full(t.name, obj.metadata.name ?? "") &&
    full(t.namespace, obj.metadata.namespace ?? "") &&
    selectorMatches(t.labelSelector, obj.metadata.labels) &&
    selectorMatches(t.annotationSelector, obj.metadata.annotations);
}

/** Flux's per-object opt-out, as a label or an annotation (set through a post-renderer). */
const OPT_OUT = "helm.toolkit.fluxcd.io/driftDetection";

function driftDetectionDisabled(o: KubeObject): boolean {
  return o.metadata.labels?.[OPT_OUT] === "disabled" ||
    o.metadata.annotations?.[OPT_OUT] === "disabled";
}

const SERVER_METADATA = [
  "managedFields",
  "resourceVersion",
  "generation",
  "uid",
  "creationTimestamp",
];

/** Sorted-key JSON of an object without the fields the server maintains. */
function comparable(o: KubeObject, ignored: string[]): string {
  const copy = structuredClone(o);
  for (const f of SERVER_METADATA) delete (copy.metadata as Record<string, unknown>)[f];
  delete copy.status;
  for (const p of ignored) copyPointer(copy, {}, p);
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v && typeof v === "object"
      ? Object.fromEntries(
        Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      )
      : v;
  return JSON.stringify(sort(copy));
}

export async function detectDrift(
  env: ActionEnv,
  release: Release,
  mode: "enabled" | "warn",
  labels: Record<string, string>,
  ignore: DriftIgnoreRule[] = [],
): Promise<DriftReport> {
  const { client } = env;
  const fieldManager = env.engine.fieldManager;
  const objects = markOwnership(
    manifestObjects(release.manifest ?? "", `release ${release.name}`),
    release.name,
    release.namespace,
    labels,
  );
  const drifted: string[] = [];
  const corrections: KubeObject[] = [];
  for (const desired of objects) {
    if (driftDetectionDisabled(desired)) continue;
    const info = await client.resourceFor(desired.apiVersion, desired.kind);
    if (info.namespaced && !desired.metadata.namespace) {
      desired.metadata.namespace = release.namespace;
    }
    const name = describeId(idOf(desired));
    const ignored = ignore.filter((r) => ruleMatches(r, desired)).flatMap((r) => r.paths);
    const live = await client.getIfExists(
      desired.apiVersion,
      desired.kind,
      desired.metadata.name ?? "",
      desired.metadata.namespace,
    );
    if (!live) {
      drifted.push(`${name} is missing`);
      corrections.push(desired);
      continue;
    }
    // Ignored paths take their live values, so neither the comparison nor a correction
    // touches them.
    for (const p of ignored) copyPointer(desired, live, p);
    const after = await client.apply(desired, { fieldManager, force: true, dryRun: true });
    if (comparable(after, ignored) !== comparable(live, ignored)) {
      drifted.push(`${name} changed`);
      corrections.push(desired);
    }
  }
  if (corrections.length === 0 || mode === "warn") return { drifted, corrected: false };
  for (const obj of corrections) await client.apply(obj, { fieldManager, force: true });
  env.engine.clearCache();
  return { drifted, corrected: true };
}
