// Custom resources against their CRD's openAPIV3Schema, as the real server does it: structural
// defaulting (`default`), then validation of types, required fields, enums, bounds, lengths,
// patterns and item counts, with kube-apiserver's wording. CEL rules are not evaluated.
import type { JsonSchema } from "../catalog.ts";
import { isObject, type Json, type JsonObject } from "../ssa/typed.ts";
import type { StatusCause } from "../status.ts";

/** Fills in schema defaults in place (only where the field is absent). */
export function applySchemaDefaults(v: Json, s: JsonSchema): void {
  if (isObject(v) && s.properties) {
    for (const [k, prop] of Object.entries(s.properties)) {
      if (v[k] === undefined && prop.default !== undefined) {
        v[k] = structuredClone(prop.default as Json);
      }
      if (v[k] !== undefined) applySchemaDefaults(v[k], prop);
    }
    if (isObject(s.additionalProperties)) {
      const ap = s.additionalProperties;
      for (const k of Object.keys(v)) if (!s.properties[k]) applySchemaDefaults(v[k], ap);
    }
  } else if (isObject(v) && isObject(s.additionalProperties)) {
    for (const x of Object.values(v)) applySchemaDefaults(x, s.additionalProperties);
  } else if (Array.isArray(v) && s.items) {
    for (const x of v) applySchemaDefaults(x, s.items);
  }
}

function typeOf(v: Json): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeMatches(v: Json, type: string): boolean {
  const actual = typeOf(v);
  return actual === type || (type === "number" && actual === "integer");
}

function show(v: Json): string {
  return JSON.stringify(v);
}

/** Everything wrong with a custom resource's fields (metadata, apiVersion and kind excluded). */
export function validateAgainstSchema(o: JsonObject, s: JsonSchema): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const [k, prop] of Object.entries(s.properties ?? {})) {
    if (k === "metadata" || k === "apiVersion" || k === "kind") continue;
    if (o[k] !== undefined) check(o[k], prop, k, causes);
  }
  for (const r of s.required ?? []) {
    if (o[r] === undefined && r !== "metadata") {
      causes.push({ reason: "FieldValueRequired", message: "Required value", field: r });
    }
  }
  return causes;
}

function check(v: Json, s: JsonSchema, path: string, causes: StatusCause[]): void {
  const invalid = (detail: string) =>
    causes.push({
      reason: "FieldValueInvalid",
      message: `Invalid value: ${show(v)}: ${path} in body ${detail}`,
      field: path,
    });
  if (v === null) {
    if (!s.nullable) invalid(`must be of type ${s.type ?? "object"}: "null"`);
    return;
  }
  if (s["x-kubernetes-int-or-string"]) {
    if (typeof v !== "string" && !Number.isInteger(v)) {
      invalid(`must be of type integer or string: "${typeOf(v)}"`);
    }
    return;
  }
  if (s.type && !typeMatches(v, s.type)) {
    invalid(`must be of type ${s.type}: "${typeOf(v)}"`);
    return;
  }
  const e = s.enum as Json[] | undefined;
  if (e && !e.some((x) => JSON.stringify(x) === JSON.stringify(v))) {
    causes.push({
      reason: "FieldValueNotSupported",
      message: `Unsupported value: ${show(v)}: supported values: ${e.map(show).join(", ")}`,
      field: path,
    });
  }
  if (typeof v === "number") {
    const min = s.minimum as number | undefined;
    const max = s.maximum as number | undefined;
    if (min !== undefined && (s.exclusiveMinimum ? v <= min : v < min)) {
      invalid(`should be greater than ${s.exclusiveMinimum ? "" : "or equal to "}${min}`);
    }
    if (max !== undefined && (s.exclusiveMaximum ? v >= max : v > max)) {
      invalid(`should be less than ${s.exclusiveMaximum ? "" : "or equal to "}${max}`);
    }
  }
  if (typeof v === "string") {
    const minLength = s.minLength as number | undefined;
    const maxLength = s.maxLength as number | undefined;
    if (minLength !== undefined && [...v].length < minLength) {
      invalid(`should be at least ${minLength} chars long`);
    }
    if (maxLength !== undefined && [...v].length > maxLength) {
      causes.push({
        reason: "FieldValueTooLong",
        message: `Too long: may not be more than ${maxLength} bytes`,
        field: path,
      });
    }
    const pattern = s.pattern as string | undefined;
    if (pattern && !new RegExp(pattern, "u").test(v)) invalid(`should match '${pattern}'`);
  }
  if (Array.isArray(v)) {
    const minItems = s.minItems as number | undefined;
    const maxItems = s.maxItems as number | undefined;
    if (minItems !== undefined && v.length < minItems) {
      invalid(`should have at least ${minItems} items`);
    }
    if (maxItems !== undefined && v.length > maxItems) {
      causes.push({
        reason: "FieldValueTooMany",
        message: `Too many: ${v.length}: must have at most ${maxItems} items`,
        field: path,
      });
    }
    if (s.items) v.forEach((x, i) => check(x, s.items!, `${path}[${i}]`, causes));
    return;
  }
  if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      const prop = s.properties?.[k] ??
        (isObject(s.additionalProperties) ? s.additionalProperties : undefined);
      if (prop) check(x, prop, `${path}.${k}`, causes);
    }
    for (const r of s.required ?? []) {
      if (v[r] === undefined) {
        causes.push({
          reason: "FieldValueRequired",
          message: "Required value",
          field: `${path}.${r}`,
        });
      }
    }
  }
}
