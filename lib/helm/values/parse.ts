// Values files are read the way Helm reads them (sigs.k8s.io/yaml over go-yaml v2): YAML 1.1
// scalars (yes/no are booleans), and every number a float64 after the JSON round-trip, which is
// what a plain JS number already is. Non-string keys become their text, as the JSON step makes them.
import { DEFAULT_LIMITS, formatBytes } from "../../yaml/mod.ts";
import { GoYamlError, parseGoYaml } from "./go_yaml.ts";

export type Values = Record<string, unknown>;

/** Raised when a values document is not a map or not YAML at all. */
export class ValuesError extends Error {
  override readonly name = "ValuesError";
  constructor(readonly file: string, readonly reason: string) {
    super(`${file}: ${reason}`);
  }
}

/** Parses a values file into a map; an empty document is an empty map. */
export function parseValuesYaml(text: string, file: string): Values {
  if (text.length > DEFAULT_LIMITS.maxDocumentBytes) {
    throw new ValuesError(
      file,
      `values file is larger than ${formatBytes(DEFAULT_LIMITS.maxDocumentBytes)}`,
    );
  }
  // Like go-yaml's Unmarshal, only the first document counts.
  let value: unknown;
  try {
    value = parseGoYaml(text, file);
  } catch (e) {
    if (e instanceof GoYamlError) {
      throw new ValuesError(file, e.line !== undefined ? `line ${e.line}: ${e.reason}` : e.reason);
    }
    throw e;
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new ValuesError(file, "expected a map of values at the top level");
  }
  return normalize(value) as Values;
}

/** Turns what the yaml package produced into JSON-shaped data (Dates back to text). */
export function normalize(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalize(v);
    return out;
  }
  if (typeof value === "bigint") return Number(value);
  return value;
}
