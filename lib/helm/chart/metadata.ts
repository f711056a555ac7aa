// Chart.yaml: decoding with Helm's field types, and Helm's Metadata.Validate rules.
import { parseVersion } from "../../semver/mod.ts";
import { GoYamlError, parseGoYaml } from "../values/go_yaml.ts";
import { ChartLoadError, ChartValidationError } from "./errors.ts";
import type { Dependency, Maintainer, Metadata } from "./types.ts";

type Json = Record<string, unknown>;

function expect(file: string, field: string, want: string, got: unknown): never {
  const kind = got === null ? "null" : Array.isArray(got) ? "array" : typeof got;
  throw new ChartLoadError(file, `field ${field}: expected ${want}, got ${kind}`);
}

function str(o: Json, key: string, file: string, path = key): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") expect(file, path, "a string", v);
  return v;
}

function strList(o: Json, key: string, file: string, path = key): string[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) expect(file, path, "a list of strings", v);
  return v.map((x, i) => {
    if (typeof x !== "string") expect(file, `${path}[${i}]`, "a string", x);
    return x;
  });
}

function map(v: unknown, file: string, path: string): Json {
  if (v === null || typeof v !== "object" || Array.isArray(v)) expect(file, path, "a map", v);
  return v as Json;
}

/** Reads `dependencies` (Chart.yaml v2, or requirements.yaml for v1). */
export function parseDependencies(raw: unknown, file: string): Dependency[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) expect(file, "dependencies", "a list", raw);
  return raw.map((entry, i) => {
    const path = `dependencies[${i}]`;
    const d = map(entry, file, path);
    const dep: Dependency = { name: str(d, "name", file, `${path}.name`) ?? "" };
    for (const key of ["version", "repository", "condition", "alias"] as const) {
      const v = str(d, key, file, `${path}.${key}`);
      if (v !== undefined) dep[key] = v;
    }
    const tags = strList(d, "tags", file, `${path}.tags`);
    if (tags) dep.tags = tags;
    if (typeof d.enabled === "boolean") dep.enabled = d.enabled;
    const iv = d["import-values"];
    if (iv !== undefined && iv !== null) {
      if (!Array.isArray(iv)) expect(file, `${path}.import-values`, "a list", iv);
      dep["import-values"] = iv as Dependency["import-values"];
    }
    return dep;
  });
}

/** Decodes Chart.yaml text into Metadata (not yet validated). */
export function parseMetadata(text: string, file: string): Metadata {
  let raw: unknown;
  try {
    raw = parseGoYaml(text, file);
  } catch (e) {
    if (e instanceof GoYamlError) {
      throw new ChartLoadError(
        file,
        `cannot load Chart.yaml: ${e.line !== undefined ? `line ${e.line}: ` : ""}${e.reason}`,
      );
    }
    throw e;
  }
  const o = raw === null ? {} : map(raw, file, "(top level)");
  const md: Metadata = {
    apiVersion: str(o, "apiVersion", file) ?? "",
    name: str(o, "name", file) ?? "",
    version: str(o, "version", file) ?? "",
  };
  for (
    const key of [
      "kubeVersion",
      "description",
      "type",
      "home",
      "icon",
      "appVersion",
      "condition",
      "tags",
    ] as const
  ) {
    const v = str(o, key, file);
    if (v !== undefined) md[key] = v;
  }
  const keywords = strList(o, "keywords", file);
  if (keywords) md.keywords = keywords;
  const sources = strList(o, "sources", file);
  if (sources) md.sources = sources;
  if (o.deprecated !== undefined && o.deprecated !== null) {
    if (typeof o.deprecated !== "boolean") expect(file, "deprecated", "a boolean", o.deprecated);
    md.deprecated = o.deprecated;
  }
  if (o.annotations !== undefined && o.annotations !== null) {
    const a = map(o.annotations, file, "annotations");
    md.annotations = {};
    for (const k of Object.keys(a)) {
      const v = str(a, k, file, `annotations.${k}`);
      if (v !== undefined) md.annotations[k] = v;
    }
  }
  if (Array.isArray(o.maintainers)) {
    md.maintainers = o.maintainers.map((m, i): Maintainer => {
      const mm = map(m, file, `maintainers[${i}]`);
      return {
        name: str(mm, "name", file, `maintainers[${i}].name`),
        email: str(mm, "email", file, `maintainers[${i}].email`),
        url: str(mm, "url", file, `maintainers[${i}].url`),
      };
    });
  }
  const deps = parseDependencies(o.dependencies, file);
  if (deps) md.dependencies = deps;
  return md;
}

// Helm strips control characters and turns other unicode spaces into plain ones.
function sanitize(s: string): string {
  // deno-lint-ignore no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "").replace(
    /\s/g,
    (c) => c === "\n" || c === "\t" ? c : " ",
  );
}

function isValidVersion(v: string): boolean {
  try {
    parseVersion(v);
    return true;
  } catch {
    return false;
  }
}

function baseName(p: string): string {
  const trimmed = p.replace(/\/+$/, "");
  if (trimmed === "") return p === "" ? "." : "/";
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/** Helm's Metadata.Validate, in Helm's order and with its messages. */
export function validateMetadata(md: Metadata): void {
  md.name = sanitize(md.name);
  md.version = sanitize(md.version);
  if (md.description !== undefined) md.description = sanitize(md.description);
  if (md.appVersion !== undefined) md.appVersion = sanitize(md.appVersion);
  if (!md.apiVersion) throw new ChartValidationError("chart.metadata.apiVersion is required");
  if (!md.name) throw new ChartValidationError("chart.metadata.name is required");
  if (md.name !== baseName(md.name)) {
    throw new ChartValidationError(`chart.metadata.name ${JSON.stringify(md.name)} is invalid`);
  }
  if (!md.version) throw new ChartValidationError("chart.metadata.version is required");
  if (!isValidVersion(md.version)) {
    throw new ChartValidationError(
      `chart.metadata.version ${JSON.stringify(md.version)} is invalid`,
    );
  }
  if (
    md.type !== undefined && md.type !== "" && md.type !== "application" && md.type !== "library"
  ) {
    throw new ChartValidationError("chart.metadata.type must be application or library");
  }
  const seen = new Set<string>();
  for (const dep of md.dependencies ?? []) {
    if (dep.alias !== undefined && dep.alias !== "" && !/^[a-zA-Z0-9_-]+$/.test(dep.alias)) {
      throw new ChartValidationError(
        `dependency ${JSON.stringify(dep.name)} has disallowed characters in the alias`,
      );
    }
    const key = dep.alias || dep.name;
    if (seen.has(key)) {
      throw new ChartValidationError(
        `more than one dependency with name or alias ${JSON.stringify(key)}`,
      );
    }
    seen.add(key);
  }
}

export function isLibrary(md: Metadata): boolean {
  return md.type === "library";
}
