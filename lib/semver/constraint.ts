// Version constraints with Masterminds/semver v3.2 semantics, the dialect Flux image policies,
// Flux GitRepository semver refs, Helm chart versions and Sprig's semverCompare all speak:
//   `||` separates alternatives; within one, constraints separated by commas or spaces must all
//   hold; operators = != > < >= => <= =< ~ ~> ^; `x`, `X`, `*` or missing parts are wildcards;
//   `1.2 - 1.4` is a hyphen range (>= 1.2, <= 1.4); a pre-release version only satisfies a
//   constraint that itself names a pre-release.
// The grammar below is Masterminds' own (the same regular expressions, leftmost-first like Go's)
// so that what is accepted and rejected matches exactly, quirks included.
import { compare, comparePrerelease, parseVersion, SemverError, type Version } from "./version.ts";

export type Operator = "" | "=" | "!=" | ">" | "<" | ">=" | "=>" | "<=" | "=<" | "~" | "~>" | "^";

/** One comparison, e.g. `>= 1.2.x`. */
export interface Comparison {
  readonly operator: Operator;
  /** The version text as written (`1.2.x`). */
  readonly text: string;
  /** The version with wildcards zeroed (`1.2.0`). */
  readonly version: Version;
  /** Some part was a wildcard or missing. */
  readonly dirty: boolean;
  /** The minor part (and so the patch) was a wildcard: `1.x`, `1`. */
  readonly minorDirty: boolean;
  /** Only the patch part was a wildcard: `1.2.x`, `1.2`. */
  readonly patchDirty: boolean;
}

/** Alternatives (OR) of conjunctions (AND). */
export interface Constraint {
  readonly source: string;
  readonly alternatives: readonly (readonly Comparison[])[];
}

// Go's \s is [\t\n\f\r ]; JavaScript's is wider, so spell it out.
const S = "[\\t\\n\\f\\r ]";
const OPS = "=||!=|>|<|>=|=>|<=|=<|~|~>|\\^";
const CV = "v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?" +
  "(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?" +
  "(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?";
// The same pattern without capture groups, for embedding.
const CV_PLAIN = CV.replaceAll("(", "(?:");

const ONE = new RegExp(`^${S}*(${OPS})${S}*(${CV})${S}*$`);
const RANGE = new RegExp(`${S}*(${CV_PLAIN})${S}+-${S}+(${CV_PLAIN})${S}*`, "g");
const FIND = new RegExp(`(?:${OPS})${S}*(?:${CV_PLAIN})`, "g");
const VALID = new RegExp(
  `^(?:${S}*(?:${OPS})${S}*(?:${CV_PLAIN})${S}*)` +
    `(?:(?:${S}+|,${S}*)(?:${OPS})${S}*(?:${CV_PLAIN})${S}*)*$`,
);

/** Parses a constraint string; throws SemverError naming the offending part. */
export function parseConstraint(source: string): Constraint {
  const rewritten = rewriteHyphenRanges(source);
  const alternatives = rewritten.split("||").map((part) => {
    if (!VALID.test(part)) throw new SemverError(source, `improper constraint: ${part}`);
    const found = part.match(FIND) ?? [part];
    return found.map((text) => parseComparison(source, text));
  });
  return { source, alternatives };
}

/** True when the version satisfies at least one alternative entirely. */
export function satisfies(version: Version, constraint: Constraint): boolean {
  return constraint.alternatives.some((all) => all.every((c) => check(version, c)));
}

function rewriteHyphenRanges(source: string): string {
  let out = source;
  // Go replaces each match's first occurrence in the progressively rewritten string.
  for (const m of source.matchAll(RANGE)) {
    out = out.replace(m[0], () => `>= ${m[1]}, <= ${m[2]}`);
  }
  return out;
}

function parseComparison(source: string, text: string): Comparison {
  const m = ONE.exec(text);
  if (!m) throw new SemverError(source, `improper constraint: ${text}`);
  const operator = m[1] as Operator;
  const written = m[2];
  const [major, minor, patch, pre] = [m[3], m[4] ?? "", m[5] ?? "", m[6] ?? ""];
  let zeroed = written;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isWildcard(major)) {
    zeroed = `0.0.0${pre}`;
    dirty = true;
  } else if (minor === "" || isWildcard(minor.slice(1))) {
    zeroed = `${major}.0.0${pre}`;
    dirty = minorDirty = true;
  } else if (patch === "" || isWildcard(patch.slice(1))) {
    zeroed = `${major}${minor}.0${pre}`;
    dirty = patchDirty = true;
  }
  let version: Version;
  try {
    version = parseVersion(zeroed);
  } catch {
    // e.g. "1x" or "1|2": the grammar lets `|`, `x` mix with digits, the version parser does not.
    throw new SemverError(source, `improper constraint: ${text}`);
  }
  return { operator, text: written, version, dirty, minorDirty, patchDirty };
}

function isWildcard(part: string): boolean {
  return part === "x" || part === "X" || part === "*";
}

function check(v: Version, c: Comparison): boolean {
  // A pre-release only matches constraints that opt in by naming a pre-release themselves
  // (Masterminds skips this for an exact `!=`, which it checks by plain equality).
  const optedOut = v.prerelease !== "" && c.version.prerelease === "";
  if (optedOut && !(c.operator === "!=" && !c.dirty)) return false;
  switch (c.operator) {
    case "":
    case "=":
      return c.dirty ? tilde(v, c) : compare(v, c.version) === 0;
    case "!=":
      return notEqual(v, c);
    case ">":
      return greaterThan(v, c);
    case "<":
      return compare(v, c.version) < 0;
    case ">=":
    case "=>":
      return compare(v, c.version) >= 0;
    case "<=":
    case "=<":
      return lessThanOrEqual(v, c);
    case "~":
    case "~>":
      return tilde(v, c);
    case "^":
      return caret(v, c);
  }
}

function notEqual(v: Version, c: Comparison): boolean {
  const con = c.version;
  if (c.dirty) {
    if (con.major !== v.major) return true;
    if (con.minor !== v.minor && !c.minorDirty) return true;
    if (c.minorDirty) return false;
    if (con.patch !== v.patch && !c.patchDirty) return true;
    if (c.patchDirty) {
      if (v.prerelease !== "" || con.prerelease !== "") {
        return comparePrerelease(v.prerelease, con.prerelease) !== 0;
      }
      return false;
    }
  }
  return compare(v, con) !== 0;
}

function greaterThan(v: Version, c: Comparison): boolean {
  const con = c.version;
  if (!c.dirty) return compare(v, con) > 0;
  if (v.major !== con.major) return v.major > con.major;
  // `>1` needs 2.0.0 or more; `>1.1` needs 1.2.0 or more.
  if (c.minorDirty) return false;
  if (c.patchDirty) return v.minor > con.minor;
  return compare(v, con) > 0;
}

function lessThanOrEqual(v: Version, c: Comparison): boolean {
  const con = c.version;
  if (!c.dirty) return compare(v, con) <= 0;
  if (v.major > con.major) return false;
  if (v.major === con.major && v.minor > con.minor && !c.minorDirty) return false;
  return true;
}

function tilde(v: Version, c: Comparison): boolean {
  const con = c.version;
  if (compare(v, con) < 0) return false;
  // ~0.0.0 (and ~*) accept everything.
  if (con.major === 0n && con.minor === 0n && con.patch === 0n && !c.minorDirty && !c.patchDirty) {
    return true;
  }
  if (v.major !== con.major) return false;
  if (v.minor !== con.minor && !c.minorDirty) return false;
  return true;
}

function caret(v: Version, c: Comparison): boolean {
  const con = c.version;
  if (compare(v, con) < 0) return false;
  if (con.major > 0n || c.minorDirty) return v.major === con.major;
  if (v.major > 0n) return false;
  if (con.minor > 0n || c.patchDirty) return v.minor === con.minor;
  if (v.minor > 0n) return false;
  return v.patch === con.patch;
}
