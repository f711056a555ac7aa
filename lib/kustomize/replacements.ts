// `replacements:` — copy a value from one object's field into fields of other objects, whole or
// as one part of a delimited string, optionally creating the target fields.
import { parseAll } from "../yaml/mod.ts";
import { KustomizeError } from "./errors.ts";
import {
  FieldPathLookupError,
  findPlaces,
  getPlaceValue,
  setPlaceValue,
  splitFieldPath,
} from "./field_path.ts";
// Kustomize has one selector type (types.Selector) for patches and replacements alike.
import type { Selector } from "./kustomization.ts";
import type { Loader } from "./loader.ts";
import type { ResMap } from "./resmap.ts";
import {
  effectiveNamespace,
  isMap,
  type ResId,
  type Resource,
  splitApiVersion,
} from "./resource.ts";
import { parseLabelSelector } from "./selector.ts";

interface FieldOptions {
  delimiter?: string;
  index?: number;
  create?: boolean;
}

interface Replacement {
  source: Selector & { fieldPath?: string; options?: FieldOptions };
  targets: {
    select?: Selector;
    reject?: Selector[];
    fieldPaths?: string[];
    options?: FieldOptions;
  }[];
}

function normalizeSelector(s: Record<string, unknown>): Selector {
  const out = { ...s } as Selector & { apiVersion?: string };
  if (typeof out.apiVersion === "string" && !out.group && !out.version) {
    Object.assign(out, splitApiVersion(out.apiVersion));
  }
  return out;
}

function idSelectedBy(id: ResId, s: Selector): boolean {
  if (s.name && s.name !== id.name) return false;
  if (s.namespace && effectiveNamespace(s.namespace) !== effectiveNamespace(id.namespace)) {
    return false;
  }
  if (s.group && s.group !== id.group) return false;
  if (s.version && s.version !== id.version) return false;
  if (s.kind && s.kind !== id.kind) return false;
  return true;
}

function isEmptySelector(s: Selector): boolean {
  return !s.name && !s.namespace && !s.group && !s.version && !s.kind;
}

function labelsMatch(r: Resource, s: Selector): boolean {
  if (s.labelSelector && !parseLabelSelector(s.labelSelector).every((q) => q(r.labels()))) {
    return false;
  }
  if (
    s.annotationSelector &&
    !parseLabelSelector(s.annotationSelector).every((q) => q(r.annotations()))
  ) return false;
  return true;
}

export async function loadReplacements(
  entries: Record<string, unknown>[],
  loader: Loader,
  dir: string,
  file: string,
): Promise<{ r: Replacement; field: string }[]> {
  const out: { r: Replacement; field: string }[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const field = `replacements[${i}]`;
    if (typeof e.path === "string") {
      const abs = loader.resolveFile(dir, e.path, file, `${field}.path`);
      const docs = parseAll(await loader.readText(abs, file, `${field}.path`), {
        file: loader.display(abs),
      });
      for (const d of docs) {
        for (const item of Array.isArray(d) ? d : [d]) {
          if (isMap(item)) out.push({ r: item as unknown as Replacement, field });
        }
      }
    } else {
      out.push({ r: e as unknown as Replacement, field });
    }
  }
  return out;
}

export function applyReplacements(
  resources: ResMap,
  replacements: { r: Replacement; field: string }[],
  file: string,
) {
  for (const { r, field } of replacements) {
    if (!isMap(r.source) || !Array.isArray(r.targets)) {
      throw new KustomizeError(
        file,
        field,
        "replacements must specify a source and at least one target",
      );
    }
    const value = sourceValue(resources, r, file, field);
    r.targets.forEach((t, ti) => {
      const tField = `${field}.targets[${ti}]`;
      if (!isMap(t.select)) {
        throw new KustomizeError(file, tField, "target must specify resources to select");
      }
      const select = normalizeSelector(t.select as Record<string, unknown>);
      const rejects = (t.reject ?? []).map((x) => normalizeSelector(x as Record<string, unknown>));
      const paths = t.fieldPaths && t.fieldPaths.length > 0 ? t.fieldPaths : ["metadata.name"];
      for (const res of resources.list) {
        if (!labelsMatch(res, select)) continue;
        const ids = res.allIds();
        if (!ids.some((id) => idSelectedBy(id, select))) continue;
        const rejected = rejects.some((rej) =>
          (!isEmptySelector(rej) && ids.some((id) => idSelectedBy(id, rej))) ||
          (isEmptySelector(rej) && (rej.labelSelector || rej.annotationSelector) &&
            labelsMatch(res, rej))
        );
        if (rejected) continue;
        for (const fp of paths) copyToTarget(res, fp, value, t.options, file, tField);
      }
    });
  }
}

function sourceValue(resources: ResMap, r: Replacement, file: string, field: string): unknown {
  const sel = normalizeSelector(r.source as unknown as Record<string, unknown>);
  const matches = resources.list.filter((res) =>
    res.allIds().some((id) => idSelectedBy(id, sel)) && labelsMatch(res, sel)
  );
  const describe = JSON.stringify(sel);
  if (matches.length === 0) {
    throw new KustomizeError(file, `${field}.source`, `nothing selected by ${describe}`);
  }
  if (matches.length > 1) {
    throw new KustomizeError(file, `${field}.source`, `multiple matches for selector ${describe}`);
  }
  const fieldPath = r.source.fieldPath || "metadata.name";
  let places;
  try {
    places = findPlaces(matches[0].obj, splitFieldPath(fieldPath), false);
  } catch (e) {
    throw new KustomizeError(
      file,
      `${field}.source`,
      `error looking up replacement source: ${(e as Error).message}`,
    );
  }
  const value = places.length > 0 ? getPlaceValue(places[0]) : undefined;
  if (
    value === undefined || value === null || value === "" ||
    (isMap(value) && Object.keys(value).length === 0)
  ) {
    throw new KustomizeError(
      file,
      `${field}.source`,
      `fieldPath \`${fieldPath}\` is missing for replacement source ${describe}`,
    );
  }
  const opts = r.source.options;
  if (!opts || !opts.delimiter) return structuredClone(value);
  if (typeof value === "object") {
    throw new KustomizeError(
      file,
      `${field}.source`,
      "delimiter option can only be used with scalar nodes",
    );
  }
  const parts = String(value).split(opts.delimiter);
  const index = opts.index ?? 0;
  if (index >= parts.length || index < 0) {
    throw new KustomizeError(
      file,
      `${field}.source`,
      `options.index ${index} is out of bounds for value ${String(value)}`,
    );
  }
  return parts[index];
}

/** Marks a field made by `create`, which takes the source value with its type. */
const CREATED = Symbol("created");

function copyToTarget(
  res: Resource,
  fieldPath: string,
  value: unknown,
  options: FieldOptions | undefined,
  file: string,
  field: string,
) {
  const create = options?.create === true;
  let places;
  try {
    places = findPlaces(res.obj, splitFieldPath(fieldPath), create, () => CREATED);
  } catch (e) {
    if (e instanceof FieldPathLookupError) throw new KustomizeError(file, field, e.message);
    throw e;
  }
  if (places.length === 0) {
    throw new KustomizeError(
      file,
      field,
      create
        ? `unable to find or create field "${fieldPath}" in replacement target`
        : `unable to find field "${fieldPath}" in replacement target`,
    );
  }
  for (const place of places) {
    let current = getPlaceValue(place);
    const created = current === CREATED;
    if (created) current = undefined;
    let v = structuredClone(value);
    if (options?.delimiter) {
      if (typeof current === "object" && current !== null) {
        throw new KustomizeError(
          file,
          field,
          "delimiter option can only be used with scalar nodes",
        );
      }
      const parts = current === null || current === undefined
        ? [""]
        : String(current).split(options.delimiter);
      const index = options.index ?? 0;
      const s = String(value);
      if (index < 0) parts.unshift(s);
      else if (index >= parts.length) parts.push(s);
      else parts[index] = s;
      v = parts.join(options.delimiter);
    }
    setPlaceValue(place, created ? v : keepScalarType(current, v));
  }
}

/** A scalar target keeps its type (a string stays a string), as kustomize copies only the text. */
function keepScalarType(current: unknown, value: unknown): unknown {
  if (value === null || typeof value === "object") return value;
  if (typeof current === "string") return String(value);
  if (typeof current === "number") {
    const n = Number(value);
    return Number.isNaN(n) ? String(value) : n;
  }
  if (typeof current === "boolean") {
    if (value === "true" || value === true) return true;
    if (value === "false" || value === false) return false;
    return String(value);
  }
  return value;
}
