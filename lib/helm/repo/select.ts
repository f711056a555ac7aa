// Picking a chart version from index entries the way Helm's IndexFile.Get does: an exact
// version string wins; otherwise the highest version satisfying the constraint (Masterminds
// semantics: pre-releases only when the constraint names one); "" means the latest release.
import {
  compare,
  parseConstraint,
  parseVersion,
  satisfies,
  type Version,
} from "../../semver/mod.ts";
import type { ChartVersion } from "./index_scan.ts";

export function selectVersion(
  versions: ChartVersion[],
  constraint: string,
): ChartVersion | undefined {
  const wanted = constraint.trim();
  if (wanted !== "") {
    const exact = versions.find((v) => v.version === wanted);
    if (exact) return exact;
  }
  const c = parseConstraint(wanted === "" ? "*" : wanted);
  let best: { cv: ChartVersion; v: Version } | undefined;
  for (const cv of versions) {
    let v: Version;
    try {
      v = parseVersion(cv.version);
    } catch {
      continue;
    }
    if (!satisfies(v, c)) continue;
    if (!best || compare(v, best.v) > 0) best = { cv, v };
  }
  return best?.cv;
}
