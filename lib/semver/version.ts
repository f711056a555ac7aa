// Semantic versions as Masterminds/semver v3 reads them (what Flux and Helm use): a leading `v`
// is tolerated, minor and patch may be missing ("1.2" is 1.2.0), and segments are unsigned
// 64-bit integers. Segments are kept as bigint so that 20-digit build numbers compare exactly.

/** A parsed version; `original` is the text it was parsed from, unchanged. */
export interface Version {
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  /** Pre-release identifiers without the leading `-`, "" when none. */
  readonly prerelease: string;
  /** Build metadata without the leading `+`, "" when none (ignored when comparing). */
  readonly metadata: string;
  readonly original: string;
}

export class SemverError extends Error {
  override readonly name = "SemverError";
  constructor(
    /** The text that was rejected. */
    readonly input: string,
    readonly reason: string,
  ) {
    super(`${JSON.stringify(input)}: ${reason}`);
  }
}

const MAX_UINT64 = (1n << 64n) - 1n;

// The grammar Masterminds accepts in NewVersion (anchored).
const LOOSE_VERSION = new RegExp(
  "^v?([0-9]+)(\\.[0-9]+)?(\\.[0-9]+)?" +
    "(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?" +
    "(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?$",
);

const DIGITS = /^[0-9]*$/;
const IDENTIFIER = /^[0-9A-Za-z-]*$/;

/** Parses like Masterminds `NewVersion`: `v` prefix and short forms (`1`, `1.2`) accepted. */
export function parseVersion(text: string): Version {
  const m = LOOSE_VERSION.exec(text);
  if (!m) throw new SemverError(text, "not a semantic version");
  const version: Version = {
    major: segment(text, m[1]),
    minor: m[2] ? segment(text, m[2].slice(1)) : 0n,
    patch: m[3] ? segment(text, m[3].slice(1)) : 0n,
    prerelease: m[5] ?? "",
    metadata: m[8] ?? "",
    original: text,
  };
  checkPrerelease(text, version.prerelease);
  return version;
}

/**
 * Parses like Masterminds `StrictNewVersion`: exactly MAJOR.MINOR.PATCH, no `v`, no leading
 * zeros in numeric segments.
 */
export function parseStrictVersion(text: string): Version {
  if (text === "") throw new SemverError(text, "version string is empty");
  const parts = splitN(text, ".", 3);
  if (parts.length !== 3) throw new SemverError(text, "expected MAJOR.MINOR.PATCH");
  let rest = parts[2];
  let metadata = "";
  let prerelease = "";
  const plus = rest.indexOf("+");
  if (plus >= 0) {
    metadata = rest.slice(plus + 1);
    rest = rest.slice(0, plus);
  }
  const dash = rest.indexOf("-");
  if (dash >= 0) {
    prerelease = rest.slice(dash + 1);
    rest = rest.slice(0, dash);
  }
  const numbers = [parts[0], parts[1], rest];
  for (const n of numbers) {
    if (!DIGITS.test(n)) throw new SemverError(text, "invalid characters in version");
    if (n.length > 1 && n[0] === "0") {
      throw new SemverError(text, "version segment starts with 0");
    }
  }
  const version: Version = {
    major: segment(text, numbers[0]),
    minor: segment(text, numbers[1]),
    patch: segment(text, numbers[2]),
    prerelease,
    metadata,
    original: text,
  };
  checkPrerelease(text, prerelease);
  if (metadata !== "") checkMetadata(text, metadata);
  return version;
}

/**
 * Parses a version tag the way Flux's image policies do (fluxcd/pkg/version): three
 * dot-separated parts are required ("1.2" is not a release tag), then the loose grammar.
 */
export function parseTagVersion(text: string): Version {
  if (splitN(text, ".", 3).length !== 3) {
    throw new SemverError(text, "expected MAJOR.MINOR.PATCH");
  }
  return parseVersion(text);
}

/** -1, 0 or 1; build metadata is ignored, a pre-release sorts before its release. */
export function compare(a: Version, b: Version): number {
  if (a.major !== b.major) return a.major < b.major ? -1 : 1;
  if (a.minor !== b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch !== b.patch) return a.patch < b.patch ? -1 : 1;
  if (a.prerelease === "" && b.prerelease === "") return 0;
  if (a.prerelease === "") return 1;
  if (b.prerelease === "") return -1;
  return comparePrerelease(a.prerelease, b.prerelease);
}

/** The canonical form MAJOR.MINOR.PATCH[-PRE][+META] (no `v`). */
export function formatVersion(v: Version): string {
  let out = `${v.major}.${v.minor}.${v.patch}`;
  if (v.prerelease !== "") out += `-${v.prerelease}`;
  if (v.metadata !== "") out += `+${v.metadata}`;
  return out;
}

export function comparePrerelease(a: string, b: string): number {
  const as = a.split(".");
  const bs = b.split(".");
  const n = Math.max(as.length, bs.length);
  for (let i = 0; i < n; i++) {
    const d = comparePrereleasePart(as[i] ?? "", bs[i] ?? "");
    if (d !== 0) return d;
  }
  return 0;
}

// Identifiers compare numerically when both are numbers, a number sorts before text, and a
// missing identifier sorts first (so 1.0.0-alpha < 1.0.0-alpha.1).
function comparePrereleasePart(a: string, b: string): number {
  if (a === b) return 0;
  if (a === "") return -1;
  if (b === "") return 1;
  const aNum = isUint64(a);
  const bNum = isUint64(b);
  if (!aNum && !bNum) return a > b ? 1 : -1;
  if (!bNum) return -1;
  if (!aNum) return 1;
  return BigInt(a) > BigInt(b) ? 1 : -1;
}

function isUint64(s: string): boolean {
  return s.length > 0 && DIGITS.test(s) && BigInt(s) <= MAX_UINT64;
}

function segment(text: string, digits: string): bigint {
  const n = BigInt(digits);
  if (n > MAX_UINT64) throw new SemverError(text, `segment ${digits} is out of range`);
  return n;
}

function checkPrerelease(text: string, prerelease: string): void {
  if (prerelease === "") return;
  for (const part of prerelease.split(".")) {
    if (DIGITS.test(part)) {
      if (part.length > 1 && part[0] === "0") {
        throw new SemverError(text, "version segment starts with 0");
      }
    } else if (!IDENTIFIER.test(part)) {
      throw new SemverError(text, "invalid pre-release");
    }
  }
}

function checkMetadata(text: string, metadata: string): void {
  for (const part of metadata.split(".")) {
    if (!IDENTIFIER.test(part)) throw new SemverError(text, "invalid build metadata");
  }
}

/** Go's strings.SplitN. */
function splitN(s: string, sep: string, n: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (out.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}
