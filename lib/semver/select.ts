// Picking versions out of a list of strings (tags, chart versions), skipping what is not a
// version, as Flux and Helm do.
import { type Constraint, satisfies } from "./constraint.ts";
import { compare, parseVersion, type Version } from "./version.ts";

/**
 * The highest version in `candidates` satisfying `constraint`; texts that are not versions are
 * skipped. On equal versions (`v1.0.0` and `1.0.0`) the first one listed wins, as in Flux.
 * `parse` decides what counts as a version (default: Masterminds' loose parser).
 */
export function maxSatisfying(
  candidates: Iterable<string>,
  constraint: Constraint,
  parse: (text: string) => Version = parseVersion,
): Version | undefined {
  let best: Version | undefined;
  for (const text of candidates) {
    let v: Version;
    try {
      v = parse(text);
    } catch {
      continue;
    }
    if (satisfies(v, constraint) && (best === undefined || compare(v, best) > 0)) best = v;
  }
  return best;
}

/** Versions parsed from `texts` (non-versions dropped), sorted ascending. */
export function sortVersions(
  texts: Iterable<string>,
  parse: (text: string) => Version = parseVersion,
): Version[] {
  const out: Version[] = [];
  for (const text of texts) {
    try {
      out.push(parse(text));
    } catch {
      // not a version: skipped
    }
  }
  return out.sort(compare);
}
