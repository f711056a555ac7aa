// Helm's serialisation functions: toYaml, fromYaml, fromYamlArray, toJson, fromJson,
// fromJsonArray, toToml, and the must- variants. Parse failures come back inside the result
// (`.Error` / a one-element list) as Helm does, not as template errors.
import { type FuncMap, GoFuncError, typed } from "../../gotemplate/mod.ts";
import { parseGoYamlDocuments } from "../values/go_yaml.ts";
import { normalize } from "../values/parse.ts";
import { isTable } from "../values/copy.ts";
import { JsonEncodeError, marshalJson, toJsonValue } from "./json_value.ts";
import { marshalYaml, toYaml, toYamlPretty } from "./to_yaml.ts";
import { toToml } from "./to_toml.ts";

type ParseResult = { value: unknown } | { error: string };

/** sigs.k8s.io/yaml.Unmarshal: YAML 1.1 scalars, numbers as float64, first document only. */
function parseYamlLikeHelm(text: string): ParseResult {
  const first = parseGoYamlDocuments(text)[0];
  if (!first) return { value: null };
  if (first.error) {
    const err = first.error;
    const line = err.linePos?.[0]?.line;
    const msg = err.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    return {
      error: `error converting YAML to JSON: yaml: ${
        line !== undefined ? `line ${line}: ` : ""
      }${msg}`,
    };
  }
  return { value: normalize(first.value) };
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  if (typeof v === "object") return "object";
  return typeof v;
}

export function fromYaml(text: string): Record<string, unknown> {
  const r = parseYamlLikeHelm(text);
  if ("error" in r) return { Error: r.error };
  if (r.value === null) return {};
  if (!isTable(r.value)) {
    return {
      Error: `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${
        jsonKind(r.value)
      } into Go value of type map[string]interface {}`,
    };
  }
  return r.value;
}

export function fromYamlArray(text: string): unknown[] {
  const r = parseYamlLikeHelm(text);
  if ("error" in r) return [r.error];
  if (r.value === null) return [];
  if (!Array.isArray(r.value)) {
    return [
      `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${
        jsonKind(r.value)
      } into Go value of type []interface {}`,
    ];
  }
  return r.value;
}

function parseJson(text: string): ParseResult {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    const msg = (e as Error).message;
    return { error: text.trim() === "" ? "unexpected end of JSON input" : msg };
  }
}

export function fromJson(text: string): Record<string, unknown> {
  const r = parseJson(text);
  if ("error" in r) return { Error: r.error };
  if (r.value === null) return {};
  if (!isTable(r.value)) {
    return {
      Error: `json: cannot unmarshal ${
        jsonKind(r.value)
      } into Go value of type map[string]interface {}`,
    };
  }
  return r.value;
}

export function fromJsonArray(text: string): unknown[] {
  const r = parseJson(text);
  if ("error" in r) return [r.error];
  if (r.value === null) return [];
  if (!Array.isArray(r.value)) {
    return [`json: cannot unmarshal ${jsonKind(r.value)} into Go value of type []interface {}`];
  }
  return r.value;
}

export function toJson(v: unknown): string {
  try {
    return marshalJson(toJsonValue(v));
  } catch (e) {
    if (e instanceof JsonEncodeError) return "";
    throw e;
  }
}

export function serializeFuncs(): FuncMap {
  return {
    toYaml: typed(["any"], (v: unknown) => toYaml(v)),
    toYamlPretty: typed(["any"], (v: unknown) => toYamlPretty(v)),
    mustToYaml: typed(["any"], (v: unknown) => {
      try {
        return marshalYaml(v).replace(/\n$/, "");
      } catch (e) {
        throw new GoFuncError(`error marshaling into JSON: ${(e as Error).message}`);
      }
    }),
    fromYaml: typed(["string"], (s: string) => fromYaml(s)),
    fromYamlArray: typed(["string"], (s: string) => fromYamlArray(s)),
    toJson: typed(["any"], (v: unknown) => toJson(v)),
    mustToJson: typed(["any"], (v: unknown) => {
      try {
        return marshalJson(toJsonValue(v));
      } catch (e) {
        throw new GoFuncError((e as Error).message);
      }
    }),
    fromJson: typed(["string"], (s: string) => fromJson(s)),
    fromJsonArray: typed(["string"], (s: string) => fromJsonArray(s)),
    toToml: typed(["any"], (v: unknown) => toToml(v)),
  };
}
