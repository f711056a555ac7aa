// The schema DSL's core: a Schema both checks a parsed YAML value (reporting every problem
// with its field path) and carries the static type of the checked value, so config types are
// inferred from the same definition that validates them and the two cannot drift.

/** Whether a field must be present, may be absent, or gets a default when absent. */
export type Presence = "required" | "optional" | "defaulted";

/** Where checking happens: reports problems and knows the object's own namespace. */
export interface CheckContext {
  /** The namespace of the document being checked; references default to it. */
  readonly namespace: string;
  /** The name of the document being checked (some defaults are made from it). */
  readonly name: string;
  report(path: string, message: string): void;
}

/** Returned by a check that reported a problem; the caller drops the value. */
export const INVALID: unique symbol = Symbol("invalid");
export type Invalid = typeof INVALID;

/** Computes a default from the already-checked sibling fields of the same object. */
export type DefaultFrom<T> = (siblings: Record<string, unknown>, ctx: CheckContext) => T;

/** The parts of a schema the object checker and the documentation generator look at. */
export interface AnySchema {
  readonly presence: Presence;
  readonly description: string;
  readonly defaultDoc: string | undefined;
  readonly defaultValue: unknown;
  readonly defaultFrom: DefaultFrom<unknown> | undefined;
  typeName(): string;
  check(value: unknown, path: string, ctx: CheckContext): unknown;
  /** Nested fields, for documentation: objects list theirs, arrays and maps their items'. */
  children(): { suffix: string; schema: AnySchema }[];
}

export type Refinement<T> = (value: T, path: string, ctx: CheckContext) => void;

export abstract class Schema<T, P extends Presence = "required"> implements AnySchema {
  /** Type-level only: the checked value's type and the field's presence. */
  declare readonly _type: T;
  declare readonly _presence: P;

  presence: Presence = "required";
  description = "";
  defaultDoc: string | undefined;
  defaultValue: unknown;
  defaultFrom: DefaultFrom<unknown> | undefined;
  protected refinements: Refinement<T>[] = [];

  abstract typeName(): string;
  protected abstract checkValue(value: unknown, path: string, ctx: CheckContext): T | Invalid;

  children(): { suffix: string; schema: AnySchema }[] {
    return [];
  }

  check(value: unknown, path: string, ctx: CheckContext): T | Invalid {
    const result = this.checkValue(value, path, ctx);
    if (result === INVALID) return INVALID;
    let failed = false;
    const watching: CheckContext = {
      namespace: ctx.namespace,
      name: ctx.name,
      report(p, m) {
        failed = true;
        ctx.report(p, m);
      },
    };
    for (const refine of this.refinements) refine(result, path, watching);
    return failed ? INVALID : result;
  }

  /** A copy with a description for the reference documentation. */
  doc(text: string): this {
    return this.with({ description: text });
  }

  optional(): Schema<T, "optional"> {
    return this.with({ presence: "optional" }) as unknown as Schema<T, "optional">;
  }

  /**
   * Absent (or null) values take `value`, checked like a written value so nested defaults
   * apply too (an object may default to `{}`); `doc` overrides how the docs print it.
   */
  default(value: T | Partial<T>, doc?: string): Schema<T, "defaulted"> {
    return this.with({
      presence: "defaulted",
      defaultValue: value,
      defaultDoc: doc ?? JSON.stringify(value),
    }) as unknown as Schema<T, "defaulted">;
  }

  /** Absent values are computed from sibling fields (e.g. timeout from interval). */
  defaultFromSiblings(compute: DefaultFrom<T>, doc: string): Schema<T, "defaulted"> {
    return this.with({
      presence: "defaulted",
      defaultFrom: compute as DefaultFrom<unknown>,
      defaultDoc: doc,
    }) as unknown as Schema<T, "defaulted">;
  }

  /** Like defaultFromSiblings, when some sibling combinations leave the field unset. */
  sometimesFromSiblings(
    compute: DefaultFrom<T | undefined>,
    doc: string,
  ): Schema<T, "optional"> {
    return this.with({
      presence: "optional",
      defaultFrom: compute as DefaultFrom<unknown>,
      defaultDoc: doc,
    }) as unknown as Schema<T, "optional">;
  }

  /** Extra checks on a well-typed value (mutually exclusive fields, ranges...). */
  refine(check: Refinement<T>): this {
    return this.with({ refinements: [...this.refinements, check] });
  }

  protected with(changes: Record<string, unknown>): this {
    const copy = Object.create(Object.getPrototypeOf(this)) as this;
    Object.assign(copy, this, changes);
    return copy;
  }
}

/** The type a schema checks to. */
export type Infer<S> = S extends { readonly _type: infer T } ? T : never;

/** Describes a value for "expected X, got Y" messages. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "string":
      return `string ${JSON.stringify(value.length > 60 ? value.slice(0, 57) + "..." : value)}`;
    case "number":
      return `number ${value}`;
    case "boolean":
      return `boolean ${value}`;
    case "object":
      return value instanceof Date ? "a timestamp" : "an object";
    default:
      return typeof value;
  }
}

/** Joins a parent path and a key: "spec" + "ref" = "spec.ref". */
export function childPath(path: string, key: string): string {
  const safe = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
  return path === "" ? safe : /^[A-Za-z_$]/.test(safe) ? `${path}.${safe}` : `${path}[${safe}]`;
}
