// `helm template` / `helm install --dry-run` as a function: dependencies processed for the
// user's values, values coalesced and validated against the charts' schemas, templates rendered,
// NOTES.txt set aside, output split into manifests and hooks in install order, CRDs listed.
import { type Chart, chartFullPath, isCompatibleRange, processDependencies } from "./chart/mod.ts";
import {
  type Capabilities,
  clearTemplateCache,
  type EngineOptions,
  type LookupFunction,
  makeCapabilities,
  renderTemplates,
} from "./engine/mod.ts";
import {
  clearHeadCache,
  type CrdFile,
  type Hook,
  type Manifest,
  sortManifests,
} from "./manifests/mod.ts";
import { coalesceValues, type Table, validateAgainstSchema } from "./values/mod.ts";

export interface RenderChartOptions {
  releaseName: string;
  namespace?: string;
  revision?: number;
  isInstall?: boolean;
  isUpgrade?: boolean;
  /** e.g. "v1.28.0"; default v1.20.0 as `helm template`. */
  kubeVersion?: string;
  /** Extra API versions for `.Capabilities.APIVersions.Has`. */
  apiVersions?: string[];
  /** Live `lookup` (through lib/kube when connected); offline it is an empty map. */
  lookup?: LookupFunction;
  skipSchemaValidation?: boolean;
  /** Also collect NOTES.txt of subcharts. */
  subNotes?: boolean;
  strict?: boolean;
  /** Called with Helm's warnings (coalescing conflicts, unknown hooks). */
  warn?: (message: string) => void;
  /** Functions offered to templates in addition to Helm's own (Sprig). */
  funcs?: EngineOptions["baseFuncs"];
  /** Time and size budget of the render (default: 5 s, 50 Mi characters; see lib/gotemplate). */
  limits?: EngineOptions["limits"];
}

export interface RenderedChart {
  manifests: Manifest[];
  hooks: Hook[];
  crds: CrdFile[];
  notes: string;
  /** The values templates saw as .Values. */
  values: Table;
  /** The chart after dependency processing (aliases applied, disabled subcharts removed). */
  chart: Chart;
}

/** The chart cannot be rendered for reasons Helm checks before rendering. */
export class ChartRenderError extends Error {
  override readonly name = "ChartRenderError";
  constructor(message: string, override readonly cause?: unknown, readonly debugOutput?: string) {
    super(message);
  }
}

/** Forgets what rendering remembers between calls (parsed templates, document heads). */
export function clearRenderCaches(): void {
  clearTemplateCache();
  clearHeadCache();
}

/** Helm's CheckDependencies: every Chart.yaml dependency must be present in charts/. */
export function checkDependencies(chart: Chart): void {
  const missing = (chart.metadata.dependencies ?? [])
    .filter((r) => !chart.dependencies.some((d) => d.metadata.name === r.name))
    .map((r) => r.name);
  if (missing.length > 0) {
    throw new ChartRenderError(
      `An error occurred while checking for chart dependencies. You may need to run \`helm dependency build\` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: ${
        missing.join(", ")
      }`,
    );
  }
}

const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function validateReleaseName(name: string): void {
  if (name === "" || name.length > 53 || !RELEASE_NAME.test(name)) {
    throw new ChartRenderError(
      `release name ${
        JSON.stringify(name)
      }: invalid release name, must match regex ${RELEASE_NAME.source} and the length must not be longer than 53`,
    );
  }
}

function crdObjects(c: Chart): CrdFile[] {
  const out: CrdFile[] = [];
  const decoder = new TextDecoder();
  for (const f of c.files) {
    if (f.name.startsWith("crds/") && /\.(ya?ml|json)$/.test(f.name)) {
      out.push({
        name: f.name,
        filename: `${chartFullPath(c)}/${f.name}`,
        content: decoder.decode(f.data),
      });
    }
  }
  for (const d of c.dependencies) out.push(...crdObjects(d));
  return out;
}

/** Renders a chart with user values (already merged from -f/--set) as `helm template` does. */
export function renderChart(
  loaded: Chart,
  userValues: Table,
  options: RenderChartOptions,
): RenderedChart {
  const warn = options.warn ?? (() => {});
  const type = loaded.metadata.type ?? "";
  if (type !== "" && type !== "application") {
    throw new ChartRenderError(`${type} charts are not installable`);
  }
  checkDependencies(loaded);
  validateReleaseName(options.releaseName);
  const chart = processDependencies(loaded, userValues, warn);
  const caps: Capabilities = makeCapabilities({
    kubeVersion: options.kubeVersion,
    apiVersions: options.apiVersions,
  });
  const values = coalesceValues(chart, userValues, warn);
  if (!options.skipSchemaValidation) validateAgainstSchema(chart, values);
  if (
    chart.metadata.kubeVersion &&
    !isCompatibleRange(chart.metadata.kubeVersion, caps.KubeVersion.Version)
  ) {
    throw new ChartRenderError(
      `chart requires kubeVersion: ${chart.metadata.kubeVersion} which is incompatible with Kubernetes ${caps.KubeVersion.Version}`,
    );
  }
  const release: Table = {
    Name: options.releaseName,
    Namespace: options.namespace ?? "default",
    Revision: BigInt(options.revision ?? 1),
    Service: "Helm",
    IsUpgrade: options.isUpgrade ?? false,
    IsInstall: options.isInstall ?? !(options.isUpgrade ?? false),
  };
  const files = renderTemplates(chart, { Values: values, Release: release, Capabilities: caps }, {
    baseFuncs: options.funcs,
    strict: options.strict,
    lookup: options.lookup,
    limits: options.limits,
  });
  const notesParts: string[] = [];
  const rootNotes = `${chart.metadata.name}/templates/NOTES.txt`;
  for (const [name, text] of [...files]) {
    if (!name.endsWith("NOTES.txt")) continue;
    if (options.subNotes || name === rootNotes) notesParts.push(text);
    files.delete(name);
  }
  let sorted;
  try {
    sorted = sortManifests(files, warn);
  } catch (e) {
    let debug = "";
    for (const [name, content] of files) {
      if (content.trim() === "") continue;
      debug += `---\n# Source: ${name}\n${content}\n`;
    }
    throw new ChartRenderError((e as Error).message, e, debug);
  }
  return {
    manifests: sorted.manifests,
    hooks: sorted.hooks,
    crds: crdObjects(chart),
    notes: notesParts.join("\n"),
    values,
    chart,
  };
}
