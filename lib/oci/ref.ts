// spec.ref → what to pull, as source-controller resolves it: a digest wins over a semver range,
// which wins over a tag; nothing set means the tag `latest`. A semver range picks the highest
// tag that parses as a version (after semverFilter, when set).
import { maxSatisfying, parseConstraint, SemverError } from "../semver/mod.ts";
import { OciError } from "./errors.ts";

export interface OciRef {
  tag?: string;
  semver?: string;
  semverFilter?: string;
  digest?: string;
}

/** A resolved reference: pull `reference` (tag or digest); `tag` names it in the revision. */
export interface ResolvedRef {
  reference: string;
  tag?: string;
}

/**
 * Picks what to pull. `listTags` is called only for a semver range, so a tag or digest costs
 * no tag listing.
 */
export async function resolveRef(
  ref: OciRef | undefined,
  listTags: () => Promise<string[]>,
  where: string,
): Promise<ResolvedRef> {
  if (ref?.digest) return { reference: ref.digest };
  if (ref?.semver) {
    let constraint;
    try {
      constraint = parseConstraint(ref.semver);
    } catch (e) {
      if (!(e instanceof SemverError)) throw e;
      throw new OciError("NoMatchingTag", `${where}: spec.ref.semver: ${e.message}`, e);
    }
    const filter = ref.semverFilter ? new RegExp(ref.semverFilter) : undefined;
    const tags = (await listTags()).filter((t) => !filter || filter.test(t));
    const best = maxSatisfying(tags, constraint);
    if (!best) {
      throw new OciError(
        "NoMatchingTag",
        `${where}: no tag matches semver '${ref.semver}'` +
          (filter ? ` after semverFilter '${ref.semverFilter}'` : "") +
          ` (${tags.length} candidate tags)`,
      );
    }
    return { reference: best.original, tag: best.original };
  }
  const tag = ref?.tag || "latest";
  return { reference: tag, tag };
}

/** Flux's revision: `<tag>@sha256:<manifest digest>`, or the digest alone when pulled by one. */
export function revisionOf(resolved: ResolvedRef, manifestDigest: string): string {
  return resolved.tag === undefined ? manifestDigest : `${resolved.tag}@${manifestDigest}`;
}
