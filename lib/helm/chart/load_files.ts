// Builds a Chart from its files (Helm's loader.LoadFiles): Chart.yaml, values, schema,
// templates, requirements for v1 charts, and subcharts from charts/ (directories and .tgz).
import { readTgz } from "../archive/mod.ts";
import { parseValuesYaml, ValuesError } from "../values/parse.ts";
import { GoYamlError, parseGoYaml } from "../values/go_yaml.ts";
import { ChartLoadError } from "./errors.ts";
import { parseDependencies, parseMetadata, validateMetadata } from "./metadata.ts";
import type { Chart, ChartFile, Metadata } from "./types.ts";

const decoder = new TextDecoder();
const text = (f: ChartFile) => decoder.decode(f.data);

function parseYamlFile(f: ChartFile, source: string, what: string): unknown {
  try {
    return parseGoYaml(text(f), f.name);
  } catch (e) {
    if (e instanceof GoYamlError) {
      throw new ChartLoadError(source, `cannot load ${what}: ${e.message}`);
    }
    throw e;
  }
}

/** Loads a chart from files whose names are relative to the chart root. */
export async function loadChartFiles(files: ChartFile[], source: string): Promise<Chart> {
  let metadata: Metadata | undefined;
  const chart: Chart = {
    metadata: undefined as unknown as Metadata,
    templates: [],
    values: {},
    files: [],
    dependencies: [],
  };
  const subcharts = new Map<string, ChartFile[]>();
  let requirements: ChartFile | undefined;
  let requirementsLock: ChartFile | undefined;

  for (const f of files) {
    const name = f.name;
    if (name === "Chart.yaml") {
      metadata = parseMetadata(text(f), `${source}/Chart.yaml`);
      if (!metadata.apiVersion) metadata.apiVersion = "v1";
    } else if (name === "Chart.lock") {
      chart.lock = parseYamlFile(f, source, "Chart.lock");
    } else if (name === "values.yaml") {
      try {
        chart.values = parseValuesYaml(text(f), `${source}/values.yaml`);
      } catch (e) {
        if (e instanceof ValuesError) {
          throw new ChartLoadError(source, `cannot load values.yaml: ${e.reason}`);
        }
        throw e;
      }
    } else if (name === "values.schema.json") {
      chart.schema = f.data;
    } else if (name === "requirements.yaml") {
      requirements = f;
    } else if (name === "requirements.lock") {
      requirementsLock = f;
    } else if (name.startsWith("templates/")) {
      chart.templates.push(f);
    } else if (name.startsWith("charts/")) {
      if (name.endsWith(".prov")) {
        chart.files.push(f);
        continue;
      }
      const inner = name.slice("charts/".length);
      if (inner.startsWith(".") || inner.startsWith("_")) continue;
      const sub = inner.split("/")[0];
      const list = subcharts.get(sub) ?? [];
      list.push({ name: inner, data: f.data });
      subcharts.set(sub, list);
    } else {
      chart.files.push(f);
    }
  }
  if (!metadata) throw new ChartLoadError(source, "Chart.yaml file is missing");
  // requirements.yaml is read after Chart.yaml whatever the file order, as Helm's v1 charts expect.
  if (requirements) {
    const raw = parseYamlFile(requirements, source, "requirements.yaml") as
      | Record<string, unknown>
      | null;
    const deps = parseDependencies(raw?.dependencies, `${source}/requirements.yaml`);
    if (deps) metadata.dependencies = deps;
    if (metadata.apiVersion === "v1") chart.files.push(requirements);
  }
  if (requirementsLock) {
    chart.lock = parseYamlFile(requirementsLock, source, "requirements.lock");
    if (metadata.apiVersion === "v1") chart.files.push(requirementsLock);
  }
  chart.metadata = metadata;
  validateMetadata(metadata);

  for (const name of [...subcharts.keys()].sort()) {
    const list = subcharts.get(name)!;
    const where = `${source}/charts/${name}`;
    let sub: Chart;
    if (name.endsWith(".tgz")) {
      const file = list[0];
      if (file.name !== name) {
        throw new ChartLoadError(
          source,
          `error unpacking tar in ${metadata.name}: expected ${name}, got ${file.name}`,
        );
      }
      sub = await loadChartArchive(file.data, where);
    } else {
      const inner: ChartFile[] = [];
      for (const f of list) {
        const slash = f.name.indexOf("/");
        if (slash === -1) continue;
        inner.push({ name: f.name.slice(slash + 1), data: f.data });
      }
      sub = await loadChartFiles(inner, where);
    }
    sub.parent = chart;
    chart.dependencies.push(sub);
  }
  return chart;
}

const BOM = [0xef, 0xbb, 0xbf];

export function trimBom(data: Uint8Array): Uint8Array {
  return data.length >= 3 && data[0] === BOM[0] && data[1] === BOM[1] && data[2] === BOM[2]
    ? data.subarray(3)
    : data;
}

/** Loads a chart from a .tgz: every entry sits under one top directory, which is dropped. */
export async function loadChartArchive(bytes: Uint8Array, source: string): Promise<Chart> {
  const entries = await readTgz(bytes, source);
  const files: ChartFile[] = [];
  for (const e of entries) {
    const delimiter = e.name.includes("\\") ? "\\" : "/";
    const parts = e.name.split(delimiter);
    let name = parts.slice(1).join("/").replace(/\/+/g, "/").replace(/^(\.\/)+/, "");
    name = name.split("/").filter((p) => p !== ".").join("/");
    if (name === "" || name === ".") {
      throw new ChartLoadError(
        source,
        `chart illegally contains content outside the base directory: ${JSON.stringify(e.name)}`,
      );
    }
    if (parts[0] === "Chart.yaml") {
      throw new ChartLoadError(source, "chart yaml not in base directory");
    }
    files.push({ name, data: trimBom(e.data) });
  }
  if (files.length === 0) throw new ChartLoadError(source, "no files in chart archive");
  return loadChartFiles(files, source);
}
