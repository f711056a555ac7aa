// A kind of config document: its apiVersions, each with the schema that checks its spec and a
// function that maps that version's spec onto the kind's one internal shape (its newest
// version), so the rest of skiff reads one shape whatever version a file was written in.
import type { AnySchema, CheckContext, ObjectOf, ObjectSchema, Shape } from "../schema/mod.ts";

export interface KindVersion<Spec> {
  apiVersion: string;
  spec: AnySchema;
  /** Maps the checked spec onto the internal shape; may report problems (e.g. removed fields). */
  normalize(spec: unknown, ctx: CheckContext): Spec;
  /** For the reference docs: how this version's fields map onto the internal shape. */
  notes: string[];
}

export interface KindDefinition<K extends string, Spec> {
  kind: K;
  description: string;
  /** Whether a document of this kind must have a spec (Agent's is optional). */
  specRequired: boolean;
  /** Newest first; the first is the internal shape. */
  versions: KindVersion<Spec>[];
}

/** The internal (newest) version: its spec is the internal shape as is. */
export function current<S extends Shape>(
  apiVersion: string,
  spec: ObjectSchema<S>,
): KindVersion<ObjectOf<S>> {
  return { apiVersion, spec, normalize: (s) => s as ObjectOf<S>, notes: [] };
}

/** An older version with its own schema and a mapping onto the internal shape. */
export function older<S extends Shape, Spec>(
  apiVersion: string,
  spec: ObjectSchema<S>,
  normalize: (spec: ObjectOf<S>, ctx: CheckContext) => Spec,
  notes: string[] = [],
): KindVersion<Spec> {
  return {
    apiVersion,
    spec,
    normalize: (s, ctx) => normalize(s as ObjectOf<S>, ctx),
    notes,
  };
}
