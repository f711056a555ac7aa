// Helm's toYaml: sigs.k8s.io/yaml.Marshal (JSON first, then go-yaml v2), trailing newline cut;
// an unencodable value gives "" as Helm swallows the error.
import { JsonEncodeError, toJsonValue } from "./json_value.ts";
import { emitYaml } from "./yaml_emit.ts";

/** sigs.k8s.io/yaml.Marshal; throws JsonEncodeError for unencodable values. */
export function marshalYaml(v: unknown): string {
  return emitYaml(toJsonValue(v));
}

export function toYaml(v: unknown): string {
  try {
    return marshalYaml(v).replace(/\n$/, "");
  } catch (e) {
    if (e instanceof JsonEncodeError) return "";
    throw e;
  }
}

/**
 * Helm's toYamlPretty (go-yaml v3, indent 2): like toYaml but with sequences indented under
 * their key. An approximation: v3's other differences (no JSON round-trip, so float64 values
 * print as Go floats; no line folding) are not reproduced.
 */
export function toYamlPretty(v: unknown): string {
  try {
    return emitYaml(toJsonValue(v), { indentSequences: true }).replace(/\n$/, "");
  } catch (e) {
    if (e instanceof JsonEncodeError) return "";
    throw e;
  }
}
