// Leaf schemas: strings (with patterns and lengths), enums, booleans, integers, and free-form
// JSON (Helm values). Messages say what was expected and what was found.
import { type CheckContext, describeValue, INVALID, type Invalid, Schema } from "./schema.ts";
import { closest } from "./suggest.ts";

export interface StringRules {
  minLength?: number;
  maxLength?: number;
  /** A pattern the whole string must match, and how to say so in a message. */
  pattern?: { regexp: RegExp; expected: string };
}

export class StringSchema<T extends string = string> extends Schema<T> {
  constructor(readonly rules: StringRules = {}, readonly name = "string") {
    super();
  }

  typeName(): string {
    return this.name;
  }

  protected checkValue(value: unknown, path: string, ctx: CheckContext): T | Invalid {
    if (typeof value !== "string") {
      ctx.report(path, `expected a string, got ${describeValue(value)}`);
      return INVALID;
    }
    const { minLength, maxLength, pattern } = this.rules;
    if (minLength !== undefined && value.length < minLength) {
      ctx.report(
        path,
        minLength === 1
          ? "must not be empty"
          : `must be at least ${minLength} characters long, got ${value.length}`,
      );
      return INVALID;
    }
    if (maxLength !== undefined && value.length > maxLength) {
      ctx.report(path, `must be at most ${maxLength} characters long, got ${value.length}`);
      return INVALID;
    }
    if (pattern && !pattern.regexp.test(value)) {
      ctx.report(path, `expected ${pattern.expected}, got ${JSON.stringify(value)}`);
      return INVALID;
    }
    return value as T;
  }
}

export function string(rules: StringRules = {}): StringSchema {
  return new StringSchema(rules);
}

export class EnumSchema<T extends string> extends Schema<T> {
  constructor(readonly values: readonly T[]) {
    super();
  }

  typeName(): string {
    return this.values.map((v) => JSON.stringify(v)).join(" | ");
  }

  protected checkValue(value: unknown, path: string, ctx: CheckContext): T | Invalid {
    if (typeof value === "string" && (this.values as readonly string[]).includes(value)) {
      return value as T;
    }
    const expected = this.values.length === 1
      ? JSON.stringify(this.values[0])
      : `one of ${this.values.map((v) => JSON.stringify(v)).join(", ")}`;
    const guess = typeof value === "string" ? closest(value, this.values) : undefined;
    ctx.report(
      path,
      `expected ${expected}, got ${describeValue(value)}` +
        (guess ? `; did you mean ${JSON.stringify(guess)}?` : ""),
    );
    return INVALID;
  }
}

export function enumOf<const T extends string>(...values: T[]): EnumSchema<T> {
  return new EnumSchema(values);
}

export class BooleanSchema extends Schema<boolean> {
  typeName(): string {
    return "boolean";
  }

  protected checkValue(value: unknown, path: string, ctx: CheckContext): boolean | Invalid {
    if (typeof value === "boolean") return value;
    ctx.report(path, `expected true or false, got ${describeValue(value)}`);
    return INVALID;
  }
}

export function boolean(): BooleanSchema {
  return new BooleanSchema();
}

export class IntegerSchema extends Schema<number> {
  constructor(readonly min?: number, readonly max?: number) {
    super();
  }

  typeName(): string {
    return "integer";
  }

  protected checkValue(value: unknown, path: string, ctx: CheckContext): number | Invalid {
    if (typeof value !== "number" || !Number.isInteger(value)) {
      ctx.report(path, `expected an integer, got ${describeValue(value)}`);
      return INVALID;
    }
    if (this.min !== undefined && value < this.min) {
      ctx.report(path, `must be at least ${this.min}, got ${value}`);
      return INVALID;
    }
    if (this.max !== undefined && value > this.max) {
      ctx.report(path, `must be at most ${this.max}, got ${value}`);
      return INVALID;
    }
    return value;
  }
}

export function integer(range: { min?: number; max?: number } = {}): IntegerSchema {
  return new IntegerSchema(range.min, range.max);
}

/** Any JSON value, kept as written (Helm values, Kubernetes objects). */
export type JsonValue = string | number | boolean | null | JsonValue[] | {
  [key: string]: JsonValue;
};

export class JsonSchema extends Schema<JsonValue> {
  constructor(readonly objectOnly: boolean) {
    super();
  }

  typeName(): string {
    return this.objectOnly ? "object (free-form)" : "any";
  }

  protected checkValue(value: unknown, path: string, ctx: CheckContext): JsonValue | Invalid {
    if (this.objectOnly && (typeof value !== "object" || value === null || Array.isArray(value))) {
      ctx.report(path, `expected an object, got ${describeValue(value)}`);
      return INVALID;
    }
    return value as JsonValue;
  }
}

/** Any JSON value (a JSON patch operation's value). */
export function anyJson(): JsonSchema {
  return new JsonSchema(false);
}

/** Free-form data such as Helm values: any object. */
export function freeObject(): JsonSchema {
  return new JsonSchema(true);
}
