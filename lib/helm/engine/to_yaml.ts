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
