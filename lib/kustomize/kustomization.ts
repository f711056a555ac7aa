// The kustomization file: finding it in a directory, reading it, checking its fields, and folding
// deprecated spellings into the current ones (bases -> resources, imageTags -> images, ...).
import { YAML, YamlError } from "../yaml/mod.ts";
import { KustomizeError } from "./errors.ts";
import { join, type Loader } from "./loader.ts";
import { isMap } from "./resource.ts";

export const KUSTOMIZATION_FILE_NAMES = [
  "kustomization.yaml",
  "kustomization.yml",
  "Kustomization",
];

export interface FieldSpec {
  group?: string;
  version?: string;
  kind?: string;
  path: string;
  create?: boolean;
}

export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export interface PatchEntry {
  path?: string;
  patch?: string;
  target?: Selector;
  options?: { allowNameChange?: boolean; allowKindChange?: boolean };
}

export interface GeneratorOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

export interface GeneratorArgs {
  name?: string;
  namespace?: string;
  behavior?: string;
  literals?: string[];
  files?: string[];
  envs?: string[];
  env?: string;
  type?: string;
  options?: GeneratorOptions;
}

export interface ImageEntry {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
  tagSuffix?: string;
}

export interface LabelEntry {
  pairs?: Record<string, string>;
  includeSelectors?: boolean;
  includeTemplates?: boolean;
  fields?: FieldSpec[];
}

export interface ReplicaEntry {
  name: string;
  count: number;
}

export interface Kustomization {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown>;
  resources: string[];
  components: string[];
  crds: string[];
  namespace?: string;
  namePrefix?: string;
  nameSuffix?: string;
  commonLabels?: Record<string, string>;
  labels: LabelEntry[];
  commonAnnotations?: Record<string, string>;
  images: ImageEntry[];
  replicas: ReplicaEntry[];
  patches: PatchEntry[];
  patchesStrategicMerge: string[];
  patchesJson6902: PatchEntry[];
  configMapGenerator: GeneratorArgs[];
  secretGenerator: GeneratorArgs[];
  generatorOptions?: GeneratorOptions;
  replacements: Record<string, unknown>[];
  vars: Record<string, unknown>[];
  configurations: string[];
  generators: string[];
  transformers: string[];
  validators: string[];
  openapi?: Record<string, unknown>;
  sortOptions?: {
    order?: string;
    legacySortOptions?: { orderFirst?: string[]; orderLast?: string[] };
  };
  buildMetadata: string[];
  helmCharts?: unknown;
}

const KNOWN_FIELDS = new Set([
  "apiVersion",
  "kind",
  "metadata",
  "resources",
  "bases",
  "components",
  "crds",
  "namespace",
  "namePrefix",
  "nameSuffix",
  "commonLabels",
  "labels",
  "commonAnnotations",
  "images",
  "imageTags",
  "replicas",
  "patches",
  "patchesStrategicMerge",
  "patchesJson6902",
  "patchesJSON6902",
  "configMapGenerator",
  "secretGenerator",
  "generatorOptions",
  "replacements",
  "vars",
  "configurations",
  "generators",
  "transformers",
  "validators",
  "openapi",
  "sortOptions",
  "buildMetadata",
  "helmCharts",
  "helmChartInflationGenerator",
  "helmGlobals",
]);

export interface LoadedKustomization {
  k: Kustomization;
  /** Absolute path of the file. */
  path: string;
  /** The file as shown in messages (relative to the root). */
  display: string;
  dir: string;
}

/** Finds the kustomization file of a directory; undefined when it has none. */
export function findKustomizationFile(
  loader: Loader,
  dir: string,
  file: string,
  field: string,
): string | undefined {
  const found: string[] = [];
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    const p = join(dir, name);
    if (loader.kindOf(p, file, field) === "file") found.push(p);
  }
  if (found.length > 1) {
    throw new KustomizeError(
      loader.display(dir),
      "",
      `found multiple kustomization files (${
        found.map((p) => p.slice(dir.length + 1)).join(", ")
      }); keep one`,
    );
  }
  return found[0];
}

export async function loadKustomization(
  loader: Loader,
  path: string,
  dir: string,
): Promise<LoadedKustomization> {
  const display = loader.display(path);
  const text = await loader.readText(path, display, "");
  let raw: unknown;
  try {
    // Parsed once per build; each use gets its own copy (overlays change the top one).
    raw = structuredClone(
      loader.memo(
        `kustomization:${path}`,
        () => parseKustomizationYaml(text, display, loader.limits.maxAliases),
      ),
    );
  } catch (e) {
    if (e instanceof YamlError) throw new KustomizeError(display, "", e.reason, e);
    throw e;
  }
  if (raw === null) raw = {};
  if (!isMap(raw)) throw new KustomizeError(display, "", "expected a map of kustomization fields");
  return { k: normalizeKustomization(raw, display), path, display, dir };
}

/**
 * kustomize reads kustomization files with a YAML library that lets a repeated key win over the
 * earlier one, so duplicates are accepted here (resource files stay strict).
 */
function parseKustomizationYaml(text: string, file: string, maxAliases: number): unknown {
  if (text.length > 4 * 1024 * 1024) {
    throw new YamlError(file, undefined, "kustomization file is too large");
  }
  const doc = YAML.parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const pos = err.linePos?.[0];
    throw new YamlError(file, undefined, err.message.split("\n")[0], pos);
  }
  try {
    return doc.toJS({ maxAliasCount: maxAliases });
  } catch (e) {
    throw new YamlError(
      file,
      undefined,
      `too many aliases or a bad document: ${(e as Error).message}`,
    );
  }
}

function strings(raw: Record<string, unknown>, field: string, file: string): string[] {
  const v = raw[field];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new KustomizeError(file, field, "expected a list of strings");
  return v.map((s, i) => {
    if (typeof s !== "string") {
      throw new KustomizeError(file, `${field}[${i}]`, `expected a string, got ${typeName(s)}`);
    }
    return s;
  });
}

function maps<T>(raw: Record<string, unknown>, field: string, file: string): T[] {
  const v = raw[field];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new KustomizeError(file, field, "expected a list of maps");
  return v.map((m, i) => {
    if (!isMap(m)) {
      throw new KustomizeError(file, `${field}[${i}]`, `expected a map, got ${typeName(m)}`);
    }
    return m as T;
  });
}

function stringMap(
  raw: Record<string, unknown>,
  field: string,
  file: string,
): Record<string, string> | undefined {
  const v = raw[field];
  if (v === undefined || v === null) return undefined;
  if (!isMap(v)) throw new KustomizeError(file, field, "expected a map of strings");
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) out[k] = scalarString(val);
  return out;
}

/** Label and annotation values written unquoted (true, 51) are kept as their text. */
export function scalarString(v: unknown): string {
  if (v === null || v === undefined) return "";
  return typeof v === "string" ? v : String(v);
}

function optionalString(raw: Record<string, unknown>, field: string, file: string) {
  const v = raw[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") {
    throw new KustomizeError(file, field, `expected a string, got ${typeName(v)}`);
  }
  return v;
}

export function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (isMap(v)) return "a map";
  return `${typeof v} ${JSON.stringify(v)}`;
}

export function normalizeKustomization(raw: Record<string, unknown>, file: string): Kustomization {
  for (const key of Object.keys(raw)) {
    if (!KNOWN_FIELDS.has(key)) {
      throw new KustomizeError(file, key, `unknown field "${key}" in a kustomization`);
    }
  }
  const kind = optionalString(raw, "kind", file);
  if (kind !== undefined && kind !== "" && kind !== "Kustomization" && kind !== "Component") {
    throw new KustomizeError(
      file,
      "kind",
      `kind "${kind}" is not a kustomization: expected Kustomization or Component`,
    );
  }
  const patchesStrategicMerge = maybeInlineList(raw.patchesStrategicMerge, file);
  const images = [
    ...maps<ImageEntry>(raw, "images", file),
    ...maps<ImageEntry>(raw, "imageTags", file),
  ];
  images.forEach((img, i) => {
    if (typeof img.name !== "string" || img.name === "") {
      throw new KustomizeError(file, `images[${i}].name`, "an image entry needs a name");
    }
    if (img.newTag !== undefined && typeof img.newTag !== "string") img.newTag = String(img.newTag);
  });
  const helm = raw.helmCharts ?? raw.helmChartInflationGenerator;
  return {
    apiVersion: optionalString(raw, "apiVersion", file),
    kind,
    metadata: isMap(raw.metadata) ? raw.metadata : undefined,
    resources: [...strings(raw, "resources", file), ...strings(raw, "bases", file)],
    components: strings(raw, "components", file),
    crds: strings(raw, "crds", file),
    namespace: optionalString(raw, "namespace", file),
    namePrefix: optionalString(raw, "namePrefix", file),
    nameSuffix: optionalString(raw, "nameSuffix", file),
    commonLabels: stringMap(raw, "commonLabels", file),
    labels: maps<LabelEntry>(raw, "labels", file),
    commonAnnotations: stringMap(raw, "commonAnnotations", file),
    images,
    replicas: maps<ReplicaEntry>(raw, "replicas", file),
    patches: maps<PatchEntry>(raw, "patches", file),
    patchesStrategicMerge,
    patchesJson6902: [
      ...maps<PatchEntry>(raw, "patchesJson6902", file),
      ...maps<PatchEntry>(raw, "patchesJSON6902", file),
    ],
    configMapGenerator: maps<GeneratorArgs>(raw, "configMapGenerator", file),
    secretGenerator: maps<GeneratorArgs>(raw, "secretGenerator", file),
    generatorOptions: isMap(raw.generatorOptions)
      ? raw.generatorOptions as GeneratorOptions
      : undefined,
    replacements: maps<Record<string, unknown>>(raw, "replacements", file),
    vars: maps<Record<string, unknown>>(raw, "vars", file),
    configurations: strings(raw, "configurations", file),
    generators: strings(raw, "generators", file),
    transformers: strings(raw, "transformers", file),
    validators: strings(raw, "validators", file),
    openapi: isMap(raw.openapi) ? raw.openapi : undefined,
    sortOptions: isMap(raw.sortOptions)
      ? raw.sortOptions as Kustomization["sortOptions"]
      : undefined,
    buildMetadata: strings(raw, "buildMetadata", file),
    helmCharts: helm,
  };
}

function maybeInlineList(v: unknown, file: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new KustomizeError(file, "patchesStrategicMerge", "expected a list");
  return v.map((s, i) => {
    if (typeof s === "string") return s;
    if (isMap(s)) return JSON.stringify(s);
    throw new KustomizeError(file, `patchesStrategicMerge[${i}]`, "expected a path or a patch");
  });
}
