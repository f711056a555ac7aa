// Recognising "you cannot change this field in place" answers, the ones a recreate fixes.
import { KubeApiError } from "../errors.ts";

const IMMUTABLE_PATTERNS = [
  /field is immutable/i,
  /may not change once set/i,
  /cannot change roleRef/i,
  /updates to .* for fields other than .* are forbidden/i,
  /spec\.clusterIPs?: Invalid value/i,
  /spec\.selector: Invalid value/i,
];

/** When the API refused an update because a field is immutable, the fields named; else undefined. */
export function immutableFields(error: unknown): string[] | undefined {
  if (!(error instanceof KubeApiError) || !error.isInvalid) return undefined;
  const fromCauses = error.causes
    .filter((c) =>
      IMMUTABLE_PATTERNS.some((p) => p.test(c.message ?? "") || p.test(`${c.field}: ${c.message}`))
    )
    .map((c) => c.field ?? "(unknown field)");
  if (fromCauses.length > 0) return [...new Set(fromCauses)];
  if (IMMUTABLE_PATTERNS.some((p) => p.test(error.status.message))) {
    const named = [...error.status.message.matchAll(/(spec(?:\.[A-Za-z0-9\[\]]+)+)/g)].map((m) =>
      m[1]
    );
    return named.length > 0 ? [...new Set(named)] : ["(unknown field)"];
  }
  return undefined;
}
