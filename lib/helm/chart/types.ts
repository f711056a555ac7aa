// The in-memory shape of a loaded chart, close to Helm's chart.Chart.

/** A file of a chart, with its path relative to the chart root ("/"-separated). */
export interface ChartFile {
  name: string;
  data: Uint8Array;
}

export interface Maintainer {
  name?: string;
  email?: string;
  url?: string;
}

/** An entry of Chart.yaml `dependencies` (or requirements.yaml for apiVersion v1). */
export interface Dependency {
  name: string;
  version?: string;
  repository?: string;
  condition?: string;
  tags?: string[];
  enabled?: boolean;
  /** Strings ("key" = exports.key → key) or {child, parent} maps. */
  "import-values"?: Array<string | { child: string; parent: string }>;
  alias?: string;
}

/** Chart.yaml. */
export interface Metadata {
  apiVersion: string;
  name: string;
  version: string;
  kubeVersion?: string;
  description?: string;
  type?: string;
  keywords?: string[];
  home?: string;
  sources?: string[];
  dependencies?: Dependency[];
  maintainers?: Maintainer[];
  icon?: string;
  appVersion?: string;
  deprecated?: boolean;
  annotations?: Record<string, string>;
  condition?: string;
  tags?: string;
}

export interface Chart {
  metadata: Metadata;
  /** Chart.lock / requirements.lock, as parsed YAML. */
  lock?: unknown;
  templates: ChartFile[];
  /** values.yaml as parsed (numbers are float64, as Helm's JSON round-trip makes them). */
  values: Record<string, unknown>;
  /** values.schema.json, raw. */
  schema?: Uint8Array;
  /** Every other file, for `.Files`. */
  files: ChartFile[];
  /** Subcharts from charts/ (directories and .tgz). */
  dependencies: Chart[];
  /** Set when this chart is a subchart. */
  parent?: Chart;
}

/** The chart's name (Chart.yaml `name`). */
export function chartName(c: Chart): string {
  return c.metadata.name;
}

/** Dot-joined names from the top chart down, as Helm's ChartFullPath for templates uses "/charts/". */
export function chartFullPath(c: Chart): string {
  return c.parent ? `${chartFullPath(c.parent)}/charts/${c.metadata.name}` : c.metadata.name;
}

/** Dot-joined names from the top chart down (Helm's ChartPath). */
export function chartPath(c: Chart): string {
  return c.parent ? `${chartPath(c.parent)}.${c.metadata.name}` : c.metadata.name;
}

export function isRoot(c: Chart): boolean {
  return c.parent === undefined;
}
