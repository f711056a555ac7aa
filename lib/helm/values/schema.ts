// values.schema.json validation with ajv, reported the way Helm 3 prints it (santhosh-tekuri's
// jsonschema wording): "- at '/age': minimum: got -5, want 0", grouped per chart.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { GoInt } from "../../gotemplate/mod.ts";
import { isTable, type Table } from "./copy.ts";

/** What validation needs of a chart. */
export interface SchemaChart {
  metadata: { name: string };
  schema?: Uint8Array;
  dependencies: SchemaChart[];
}

export class SchemaValidationError extends Error {
  override readonly name = "SchemaValidationError";
  constructor(
    /** Per chart name, the problems found, each "at '<pointer>': <what>". */
    readonly problems: Array<{ chart: string; errors: string[] }>,
  ) {
    super(
      "values don't meet the specifications of the schema(s) in the following chart(s):\n" +
        problems.map((p) => `${p.chart}:\n${p.errors.map((e) => `- ${e}\n`).join("")}`).join(""),
    );
  }
}

export class SchemaLoadError extends Error {
  override readonly name = "SchemaLoadError";
  constructor(readonly chart: string, readonly reason: string) {
    super(`${chart}: values.schema.json: ${reason}`);
  }
}

const compiled = new WeakMap<Uint8Array, ValidateFunction>();

function compile(chart: string, schema: Uint8Array): ValidateFunction {
  let fn = compiled.get(schema);
  if (fn) return fn;
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(schema));
  } catch (e) {
    throw new SchemaLoadError(chart, `not valid JSON: ${(e as Error).message}`);
  }
  // strict:false — chart schemas use draft keywords ajv would otherwise reject (e.g. $comment
  // placement, unknown formats); Helm's validator ignores them too.
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  try {
    if (isTable(parsed)) delete parsed.$schema;
    fn = ajv.compile(parsed as object);
  } catch (e) {
    throw new SchemaLoadError(chart, (e as Error).message);
  }
  compiled.set(schema, fn);
  return fn;
}

/** JSON-shaped copy of values (Go int64 → number) for the validator. */
function toJson(v: unknown): unknown {
  if (v instanceof GoInt) return Number(v.value);
  if (typeof v === "bigint") return Number(v);
  if (Array.isArray(v)) return v.map(toJson);
  if (isTable(v)) {
    const out: Table = {};
    for (const k of Object.keys(v)) out[k] = toJson(v[k]);
    return out;
  }
  return v;
}

function quoteList(items: unknown[]): string {
  return items.map((i) => (typeof i === "string" ? `'${i}'` : JSON.stringify(i))).join(", ");
}

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function describe(e: ErrorObject, data: unknown): string {
  const p = e.params as Record<string, unknown>;
  const got = e.instancePath.split("/").slice(1).reduce<unknown>(
    (o, k) =>
      (o as Record<string, unknown> | undefined)?.[k.replace(/~1/g, "/").replace(/~0/g, "~")],
    data,
  );
  switch (e.keyword) {
    case "required":
      return `missing property '${p.missingProperty}'`;
    case "minimum":
    case "maximum":
    case "minLength":
    case "maxLength":
    case "minItems":
    case "maxItems":
    case "minProperties":
    case "maxProperties":
      return `${e.keyword}: got ${
        e.keyword.endsWith("Length")
          ? [...String(got)].length
          : e.keyword.endsWith("Items")
          ? (got as unknown[]).length
          : e.keyword.endsWith("Properties")
          ? Object.keys(got as object).length
          : got
      }, want ${p.limit}`;
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `${e.keyword}: got ${got}, want ${p.limit}`;
    case "type":
      return `got ${jsonType(got)}, want ${String(p.type).replace(",", ", ")}`;
    case "enum":
      return `value must be one of ${quoteList(p.allowedValues as unknown[])}`;
    case "const":
      return `value must be ${JSON.stringify(p.allowedValue)}`;
    case "pattern":
      return `'${got}' does not match pattern '${p.pattern}'`;
    case "additionalProperties":
      return `additional properties '${p.additionalProperty}' not allowed`;
    case "multipleOf":
      return `${got} not multipleOf ${p.multipleOf}`;
    case "uniqueItems":
      return `items at ${p.j} and ${p.i} are equal`;
    default:
      return e.message ?? e.keyword;
  }
}

/** The problems of one values map against one schema (empty when valid). */
export function validateSingleSchema(chart: string, schema: Uint8Array, values: Table): string[] {
  const fn = compile(chart, schema);
  const data = toJson(values);
  if (fn(data)) return [];
  const errors = fn.errors ?? [];
  const lines = errors.map((e) => ({
    path: e.instancePath,
    text: `at '${e.instancePath}': ${describe(e, data)}`,
  }));
  lines.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return [...new Set(lines.map((l) => l.text))];
}

/** Helm's ValidateAgainstSchema: each chart's schema against its part of the values. */
export function validateAgainstSchema(chart: SchemaChart, values: Table): void {
  const problems: Array<{ chart: string; errors: string[] }> = [];
  const walk = (c: SchemaChart, v: Table) => {
    if (c.schema) {
      const errors = validateSingleSchema(c.metadata.name, c.schema, v);
      if (errors.length > 0) problems.push({ chart: c.metadata.name, errors });
    }
    for (const sub of c.dependencies) {
      const sv = v[sub.metadata.name];
      walk(sub, isTable(sv) ? sv : {});
    }
  };
  walk(chart, values);
  if (problems.length > 0) throw new SchemaValidationError(problems);
}
