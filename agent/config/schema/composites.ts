// Schemas made of schemas: objects with known fields (unknown ones are errors, as in Flux's
// CRDs), lists and string-keyed maps.
import {
  type AnySchema,
  type CheckContext,
  childPath,
  describeValue,
  type Infer,
  INVALID,
  type Invalid,
  Schema,
} from "./schema.ts";
import { closest } from "./suggest.ts";

export type Shape = Record<string, AnySchema>;

type OptionalKeys<S extends Shape> = {
  [K in keyof S]: S[K] extends { readonly _presence: "optional" } ? K : never;
}[keyof S];
type Simplify<T> = { [K in keyof T]: T[K] } & unknown;

/** The checked type of an object schema: optional fields become `?:`, defaulted ones stay. */
export type ObjectOf<S extends Shape> = Simplify<
  & { -readonly [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> }
  & { -readonly [K in OptionalKeys<S>]?: Infer<S[K]> }
>;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Date);
}

export class ObjectSchema<S extends Shape> extends Schema<ObjectOf<S>> {
  constructor(readonly shape: S) {
    super();
  }

  typeName(): string {
    return "object";
  }

  override children(): { suffix: string; schema: AnySchema }[] {
    return Object.entries(this.shape).map(([key, schema]) => ({ suffix: `.${key}`, schema }));
  }

  /** A new object schema with fields added (or replaced) and some removed. */
  extend<E extends Shape>(extra: E): ObjectSchema<Omit<S, keyof E> & E> {
    return new ObjectSchema({ ...this.shape, ...extra } as Omit<S, keyof E> & E);
  }

  without<K extends keyof S & string>(...keys: K[]): ObjectSchema<Omit<S, K>> {
    const shape: Shape = { ...this.shape };
    for (const k of keys) delete shape[k];
    return new ObjectSchema(shape as Omit<S, K>);
  }

  protected checkValue(value: unknown, path: string, ctx: CheckContext): ObjectOf<S> | Invalid {
    if (!isPlainObject(value)) {
      ctx.report(path, `expected an object, got ${describeValue(value)}`);
      return INVALID;
    }
    let valid = true;
    const known = Object.keys(this.shape);
    for (const key of Object.keys(value)) {
      if (key in this.shape) continue;
      const guess = closest(key, known);
      ctx.report(
        childPath(path, key),
        guess
          ? `unknown field; did you mean "${guess}"?`
          : `unknown field (known fields: ${known.join(", ")})`,
      );
      valid = false;
    }
    const out: Record<string, unknown> = {};
    const computed: string[] = [];
    for (const [key, schema] of Object.entries(this.shape)) {
      const raw = value[key];
      const at = childPath(path, key);
      if (raw === undefined || raw === null) {
        if (schema.presence === "required") {
          ctx.report(at, "required field is missing");
          valid = false;
        } else if (schema.defaultFrom) {
          computed.push(key);
        } else if (schema.presence === "defaulted") {
          // Checking the default applies the defaults of its own fields too ({} -> full object).
          const checked = schema.check(structuredClone(schema.defaultValue), at, ctx);
          if (checked === INVALID) valid = false;
          else out[key] = checked;
        }
        continue;
      }
      const checked = schema.check(raw, at, ctx);
      if (checked === INVALID) valid = false;
      else out[key] = checked;
    }
    if (!valid) return INVALID;
    for (const key of computed) {
      const v = this.shape[key].defaultFrom!(out, ctx);
      if (v !== undefined) out[key] = v;
    }
    // Keep the schema's field order, so printed objects read the same every time.
    const ordered: Record<string, unknown> = {};
    for (const key of known) if (key in out) ordered[key] = out[key];
    return ordered as ObjectOf<S>;
  }
}

export function object<S extends Shape>(shape: S): ObjectSchema<S> {
  return new ObjectSchema(shape);
}

export class ArraySchema<I extends AnySchema> extends Schema<Infer<I>[]> {
  constructor(readonly items: I, readonly maxItems?: number) {
    super();
  }

  typeName(): string {
    return `list of ${this.items.typeName()}`;
  }

  override children(): { suffix: string; schema: AnySchema }[] {
    return [{ suffix: "[]", schema: this.items }];
  }

  protected checkValue(value: unknown, path: string, ctx: CheckContext): Infer<I>[] | Invalid {
    if (!Array.isArray(value)) {
      ctx.report(path, `expected a list, got ${describeValue(value)}`);
      return INVALID;
    }
    if (this.maxItems !== undefined && value.length > this.maxItems) {
      ctx.report(path, `must have at most ${this.maxItems} items, got ${value.length}`);
      return INVALID;
    }
    let valid = true;
    const out = value.map((item, i) => {
      const checked = this.items.check(item, `${path}[${i}]`, ctx);
      if (checked === INVALID) valid = false;
      return checked as Infer<I>;
    });
    return valid ? out : INVALID;
  }
}

export function array<I extends AnySchema>(items: I, rules: { maxItems?: number } = {}) {
  return new ArraySchema(items, rules.maxItems);
}

export class MapSchema<V extends AnySchema> extends Schema<Record<string, Infer<V>>> {
  constructor(readonly values: V) {
    super();
  }

  typeName(): string {
    return `map of ${this.values.typeName()}`;
  }

  override children(): { suffix: string; schema: AnySchema }[] {
    return this.values.children().length > 0 ? [{ suffix: ".*", schema: this.values }] : [];
  }

  protected checkValue(
    value: unknown,
    path: string,
    ctx: CheckContext,
  ): Record<string, Infer<V>> | Invalid {
    if (!isPlainObject(value)) {
      ctx.report(path, `expected a map, got ${describeValue(value)}`);
      return INVALID;
    }
    let valid = true;
    const out: Record<string, Infer<V>> = {};
    for (const [key, item] of Object.entries(value)) {
      const checked = this.values.check(item, childPath(path, key), ctx);
      if (checked === INVALID) valid = false;
      else out[key] = checked as Infer<V>;
    }
    return valid ? out : INVALID;
  }
}

export function mapOf<V extends AnySchema>(values: V): MapSchema<V> {
  return new MapSchema(values);
}
