// ImagePolicy tag selection as Flux's image-reflector-controller does it: an optional regexp
// filter (with `extract` to compare a part of the tag), then one ordering policy — semver range,
// alphabetical or numerical — and the ORIGINAL tag of the winner as the result.
import {
  compare,
  parseConstraint,
  parseTagVersion,
  satisfies,
  type Version,
} from "../semver/mod.ts";
import { compileGoRegexp, GoRegexpError } from "../regexp/mod.ts";
import { expandTemplate } from "./extract.ts";

export type Order = "asc" | "desc";

/** `spec.policy` of an ImagePolicy, in Flux's shape. */
export interface PolicyChoice {
  semver?: { range: string };
  alphabetical?: { order?: string };
  numerical?: { order?: string };
}

/** `spec.filterTags` of an ImagePolicy. */
export interface TagFilter {
  pattern?: string;
  extract?: string;
}

/** The parts of an ImagePolicy spec that decide the latest tag. */
export interface ImagePolicySpec {
  policy: PolicyChoice;
  filterTags?: TagFilter;
}

/** Why a policy produced no tag; the reason names match Flux's status reasons. */
export type PolicyFailure = "InvalidPolicy" | "InvalidFilter" | "NoTags" | "NoMatchingTag";

export class PolicyError extends Error {
  override readonly name = "PolicyError";
  constructor(readonly reason: PolicyFailure, message: string, override readonly cause?: Error) {
    super(message);
  }
}

/** A validated policy, ready to evaluate many tag lists. */
export interface CompiledPolicy {
  readonly spec: ImagePolicySpec;
  /** The latest ORIGINAL tag among `tags`; throws PolicyError when there is none. */
  latest(tags: readonly string[]): string;
}

/** Validates a policy spec (range, orders, filter pattern) the way Flux does at reconcile. */
export function compilePolicy(spec: ImagePolicySpec): CompiledPolicy {
  const chooser = compileChooser(spec.policy ?? {});
  const filter = spec.filterTags ? compileFilter(spec.filterTags) : undefined;
  return {
    spec,
    latest(tags) {
      if (!filter) return chooser(tags);
      const original = runFilter(filter, tags);
      return original.get(chooser([...original.keys()])) as string;
    },
  };
}

/** Shorthand for `compilePolicy(spec).latest(tags)`. */
export function selectLatest(spec: ImagePolicySpec, tags: readonly string[]): string {
  return compilePolicy(spec).latest(tags);
}

type Chooser = (tags: readonly string[]) => string;

function compileChooser(choice: PolicyChoice): Chooser {
  if (choice.semver) return semverChooser(choice.semver.range);
  if (choice.alphabetical) {
    const order = parseOrder(choice.alphabetical.order, "alphabetical");
    return (tags) => {
      nonEmpty(tags);
      let best = tags[0];
      for (const t of tags) if (order === "asc" ? t > best : t < best) best = t;
      return best;
    };
  }
  if (choice.numerical) {
    const order = parseOrder(choice.numerical.order, "numerical");
    return (tags) => numericalLatest(tags, order);
  }
  throw new PolicyError(
    "InvalidPolicy",
    "spec.policy: no policy choice set (expected one of semver, alphabetical, numerical)",
  );
}

function semverChooser(range: string): Chooser {
  let constraint;
  try {
    constraint = parseConstraint(range);
  } catch (e) {
    throw new PolicyError(
      "InvalidPolicy",
      `spec.policy.semver.range: invalid range ${JSON.stringify(range)}: ${(e as Error).message}`,
      e as Error,
    );
  }
  return (tags) => {
    nonEmpty(tags);
    let best: Version | undefined;
    for (const tag of tags) {
      let v: Version;
      try {
        v = parseTagVersion(tag);
      } catch {
        continue; // tags that are not versions are ignored
      }
      if (satisfies(v, constraint) && (best === undefined || compare(v, best) > 0)) best = v;
    }
    if (!best) {
      throw new PolicyError(
        "NoMatchingTag",
        `no tag matches the semver range ${JSON.stringify(range)} (${tags.length} tags)`,
      );
    }
    return best.original;
  };
}

function numericalLatest(tags: readonly string[], order: Order): string {
  nonEmpty(tags);
  let latest = "";
  let previous = 0;
  tags.forEach((tag, i) => {
    const value = parseGoFloat(tag);
    if (value === undefined) {
      throw new PolicyError("NoMatchingTag", `failed to parse invalid numeric value '${tag}'`);
    }
    // Mirrors Flux's loop: on equal values the later tag wins.
    if (i > 0 && (order === "asc" ? value < previous : value > previous)) return;
    latest = tag;
    previous = value;
  });
  return latest;
}

const DECIMAL_FLOAT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const HEX_FLOAT = /^[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?[0-9]+$/;
const SPECIAL_FLOAT = /^(?:[+-]?(?:inf|infinity)|nan)$/i;

/** Go's strconv.ParseFloat(s, 64) without digit-separating underscores; undefined on error. */
function parseGoFloat(s: string): number | undefined {
  if (SPECIAL_FLOAT.test(s)) {
    if (/nan/i.test(s)) return NaN;
    return s.startsWith("-") ? -Infinity : Infinity;
  }
  if (DECIMAL_FLOAT.test(s)) {
    const n = Number(s);
    return Number.isFinite(n) ? n : undefined; // Go reports out-of-range values as errors
  }
  if (HEX_FLOAT.test(s)) return parseHexFloat(s);
  return undefined;
}

function parseHexFloat(s: string): number | undefined {
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?[0-9]+)$/.exec(s);
  if (!m) return undefined;
  const [, sign, int, frac, exp] = m;
  let mantissa = 0;
  for (const d of int + frac) mantissa = mantissa * 16 + parseInt(d, 16);
  const value = mantissa * 2 ** (Number(exp) - 4 * frac.length);
  if (!Number.isFinite(value)) return undefined;
  return sign === "-" ? -value : value;
}

function parseOrder(order: string | undefined, field: string): Order {
  const o = (order ?? "").toLowerCase();
  if (o === "") return "asc";
  if (o === "asc" || o === "desc") return o;
  throw new PolicyError(
    "InvalidPolicy",
    `spec.policy.${field}.order: invalid order ${JSON.stringify(order)}, must be one of: asc, desc`,
  );
}

function nonEmpty(tags: readonly string[]): void {
  if (tags.length === 0) throw new PolicyError("NoTags", "no tags to choose from");
}

interface CompiledFilter {
  re: RegExp;
  extract: string;
}

/**
 * The values a `filterTags` keeps, each mapped to the tag it came from (the tag itself, or what
 * `extract` expands to). Throws PolicyError for an invalid pattern.
 */
export function filterTags(filter: TagFilter, tags: readonly string[]): Map<string, string> {
  return runFilter(compileFilter(filter), tags);
}

// On a collision of extracted values the later tag wins, as in Flux (a Go map assignment).
function runFilter(filter: CompiledFilter, tags: readonly string[]): Map<string, string> {
  const original = new Map<string, string>();
  for (const tag of tags) {
    const m = filter.re.exec(tag);
    if (!m) continue;
    const value = filter.extract === "" ? tag : expandTemplate(filter.extract, m);
    original.set(value, tag);
  }
  return original;
}

function compileFilter(filter: TagFilter): CompiledFilter {
  try {
    return { re: compileGoRegexp(filter.pattern ?? ""), extract: filter.extract ?? "" };
  } catch (e) {
    if (!(e instanceof GoRegexpError)) throw e;
    throw new PolicyError(
      "InvalidFilter",
      `spec.filterTags.pattern: invalid regular expression pattern '${e.pattern}': ${e.reason}`,
      e,
    );
  }
}
