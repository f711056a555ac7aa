// `spec.chart.spec.valuesFiles`, as source-controller builds a HelmChart with them: the listed
// files are merged in order (later ones win, maps merged key by key) and the result becomes the
// chart's default values in place of values.yaml (which counts only when listed). A chart from a
// HelmRepository names files inside the chart; a chart from a GitRepository names files from the
// root of the repository. A missing file fails the chart unless ignoreMissingValuesFiles.
import { join, normalize } from "node:path";
import { type Chart, parseValuesYaml, type Table } from "../../lib/helm/mod.ts";
import { mergeMaps } from "./values.ts";

/** A listed values file cannot be found or leaves the source. */
export class ValuesFileError extends Error {
  override readonly name = "ValuesFileError";
  constructor(readonly path: string, readonly detail: string) {
    super(`chart.spec.valuesFiles: ${detail}`);
  }
}

export interface ValuesFilesSpec {
  valuesFiles?: string[];
  ignoreMissingValuesFiles?: boolean;
}

/**
 * Replaces the chart's default values by the merge of the listed files. `sourceRoot` is the
 * artifact directory of a GitRepository chart; without it the files are read from the chart.
 */
export async function applyValuesFiles(
  chart: Chart,
  spec: ValuesFilesSpec,
  sourceRoot?: string,
): Promise<void> {
  const paths = spec.valuesFiles ?? [];
  if (paths.length === 0) return;
  let merged: Table = {};
  for (const path of paths) {
    const text = sourceRoot === undefined
      ? chartFileText(chart, path)
      : await sourceFileText(sourceRoot, path);
    if (text === undefined) {
      if (spec.ignoreMissingValuesFiles) continue;
      throw new ValuesFileError(
        path,
        `no values file found at path '${path}'` +
          (sourceRoot === undefined ? " in the chart" : " in the source") +
          " (set ignoreMissingValuesFiles to skip missing files)",
      );
    }
    // values.yaml of the chart is already parsed; any other file is parsed here.
    const values = text === VALUES_YAML ? chart.values : parseValuesYaml(text, path);
    merged = mergeMaps(merged, values as Table);
  }
  chart.values = merged;
}

/** Marks "the chart's own values.yaml", which the loader keeps parsed rather than as a file. */
const VALUES_YAML = "\u0000values.yaml";

function chartFileText(chart: Chart, path: string): string | undefined {
  const name = path.replace(/^\.\//, "");
  if (name === "values.yaml") return VALUES_YAML;
  const file = chart.files.find((f) => f.name === name);
  return file ? new TextDecoder().decode(file.data) : undefined;
}

async function sourceFileText(root: string, path: string): Promise<string | undefined> {
  const full = normalize(join(root, path));
  if (full !== root && !full.startsWith(root.endsWith("/") ? root : `${root}/`)) {
    throw new ValuesFileError(path, `values file '${path}' leaves the source`);
  }
  try {
    return await Deno.readTextFile(full);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.IsADirectory) {
      return undefined;
    }
    throw e;
  }
}
