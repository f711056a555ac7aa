// `helm template` end to end: load the chart, gather values, render, print. The CLI's
// `skiff build helm` and the conformance tests both call this.
import { type Chart, loadChart } from "./chart/mod.ts";
import { defaultFuncs, type EngineOptions, type LookupFunction } from "./engine/mod.ts";
import { formatTemplateOutput } from "./manifests/mod.ts";
import { renderChart } from "./render_chart.ts";
import { mergeValues } from "./values/mod.ts";
import { Template } from "../gotemplate/mod.ts";

export interface HelmTemplateOptions {
  /** A chart directory or .tgz path, or an already loaded chart. */
  chart: string | Chart;
  releaseName?: string;
  /** --name-template: a template producing the release name. */
  nameTemplate?: string;
  namespace?: string;
  valueFiles?: string[];
  values?: string[];
  stringValues?: string[];
  jsonValues?: string[];
  fileValues?: string[];
  kubeVersion?: string;
  apiVersions?: string[];
  includeCrds?: boolean;
  showOnly?: string[];
  skipTests?: boolean;
  noHooks?: boolean;
  skipSchemaValidation?: boolean;
  /** Print the rendered files even when they are not valid YAML (the error is still thrown). */
  debug?: boolean;
  lookup?: LookupFunction;
  funcs?: EngineOptions["baseFuncs"];
  warn?: (message: string) => void;
  /** Reads -f and --set-file paths (default: the file system). */
  readFile?: (path: string) => string;
}

export interface HelmTemplateResult {
  output: string;
}

/** An error of `helm template`, with what --debug would still print before it. */
export class HelmTemplateError extends Error {
  override readonly name = "HelmTemplateError";
  constructor(message: string, readonly partialOutput: string, override readonly cause?: unknown) {
    super(message);
  }
}

/** --name-template: the release name from a template with Sprig's functions. */
export function renderNameTemplate(
  template: string,
  funcs: EngineOptions["baseFuncs"] = defaultFuncs(),
): string {
  return new Template("name-template").funcs(funcs).parse(template).execute(null);
}

export async function helmTemplate(o: HelmTemplateOptions): Promise<string> {
  const readFile = o.readFile ?? ((p: string) => Deno.readTextFileSync(p));
  const userValues = mergeValues({
    files: (o.valueFiles ?? []).map((path) => ({ path, text: readFile(path) })),
    values: o.values,
    stringValues: o.stringValues,
    jsonValues: o.jsonValues,
    fileValues: o.fileValues,
    readFile,
  });
  const chart = typeof o.chart === "string" ? await loadChart(o.chart) : o.chart;
  const releaseName = o.nameTemplate
    ? renderNameTemplate(o.nameTemplate, o.funcs)
    : (o.releaseName ?? "release-name");
  let rendered;
  try {
    rendered = renderChart(chart, userValues, {
      releaseName,
      namespace: o.namespace,
      kubeVersion: o.kubeVersion,
      apiVersions: o.apiVersions,
      lookup: o.lookup,
      skipSchemaValidation: o.skipSchemaValidation,
      funcs: o.funcs,
      warn: o.warn,
    });
  } catch (e) {
    const debug = (e as { debugOutput?: string }).debugOutput;
    if (debug !== undefined) {
      throw new HelmTemplateError(
        o.debug
          ? (e as Error).message
          : `${(e as Error).message}\n\nUse --debug flag to render out invalid YAML`,
        o.debug ? `${debug.trim()}\n` : "",
        e,
      );
    }
    throw e;
  }
  return formatTemplateOutput(rendered, {
    includeCrds: o.includeCrds,
    skipTests: o.skipTests,
    noHooks: o.noHooks,
    showOnly: o.showOnly,
  });
}
