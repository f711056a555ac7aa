// A loaded chart in the JSON shape Helm stores inside a release (chart.Chart: metadata, lock,
// templates, values, schema, files — subcharts are not serialised), keys in Go's field order
// and empty fields omitted as Go's `omitempty` does.
import type { Chart, Dependency, Metadata } from "../chart/mod.ts";
import { bytesToBase64 } from "./base64.ts";
import type { ChartJson } from "./types.ts";

const METADATA_ORDER: (keyof Metadata)[] = [
  "name",
  "home",
  "sources",
  "version",
  "description",
  "keywords",
  "maintainers",
  "icon",
  "apiVersion",
  "condition",
  "tags",
  "appVersion",
  "deprecated",
  "annotations",
  "kubeVersion",
  "dependencies",
  "type",
];

const DEPENDENCY_ORDER: (keyof Dependency)[] = [
  "name",
  "version",
  "repository",
  "condition",
  "tags",
  "enabled",
  "import-values",
  "alias",
];

/** Go's omitempty: false, 0, "", nil and empty slices/maps are left out. */
function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === "" || v === 0) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === "object") return Object.keys(v as object).length === 0;
  return false;
}

function ordered<T extends object>(o: T, keys: (keyof T)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (!isEmpty(o[k])) out[k as string] = o[k];
  return out;
}

export function metadataJson(md: Metadata): Record<string, unknown> {
  const out = ordered(md, METADATA_ORDER);
  if (md.dependencies && md.dependencies.length > 0) {
    // `enabled` is set by dependency processing; Helm serialises it only when true.
    // name and repository have no omitempty in Helm's Dependency.
    out.dependencies = md.dependencies.map(dependencyJson);
  }
  return out;
}

function dependencyJson(d: Dependency): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of DEPENDENCY_ORDER) {
    if (k === "name" || k === "repository") out[k] = d[k] ?? "";
    else if (!isEmpty(d[k])) out[k] = d[k];
  }
  return out;
}

/** Go writes nil pointers and nil []byte as null: `lock` and `schema` are always present. */
export function chartToJson(chart: Chart): ChartJson {
  const out: ChartJson = { metadata: metadataJson(chart.metadata) };
  out.lock = chart.lock ?? null;
  out.templates = chart.templates.map((f) => ({ name: f.name, data: bytesToBase64(f.data) }));
  out.values = chart.values;
  out.schema = chart.schema && chart.schema.length > 0 ? bytesToBase64(chart.schema) : null;
  out.files = chart.files.map((f) => ({ name: f.name, data: bytesToBase64(f.data) }));
  return out;
}
