// Syntax check of Masterminds semver constraints (the library Flux's image policies and Helm
// chart versions use): "||" separates alternatives, "," or spaces join comparisons, and
// "1.2 - 1.4" is a hyphen range. Matching versions against a range is lib/semver's job.

const VERSION = String.raw`v?[0-9xX*]+(?:\.[0-9xX*]+)?(?:\.[0-9xX*]+)?` +
  String.raw`(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?`;
const OPERATOR = String.raw`(?:!=|>=|=>|<=|=<|~>|>|<|=|~|\^)?`;
const COMPARISON = String.raw`${OPERATOR}\s*${VERSION}`;
const HYPHEN = new RegExp(String.raw`^\s*${VERSION}\s+-\s+${VERSION}\s*$`);
const GROUP = new RegExp(String.raw`^\s*${COMPARISON}(?:(?:\s*,\s*|\s+)${COMPARISON})*\s*$`);

/** Returns why `range` is not a valid constraint, or undefined when it is. */
export function checkSemverRange(range: string): string | undefined {
  const alternatives = range.split("||");
  for (const alternative of alternatives) {
    if (HYPHEN.test(alternative) || GROUP.test(alternative)) continue;
    const which = alternatives.length > 1 ? ` (in ${JSON.stringify(alternative.trim())})` : "";
    return `invalid semver range ${
      JSON.stringify(range)
    }${which}: expected comparisons such as ">=1.0.0", "^1.2", "~1.2.3" or "1.x", joined by "," (and) or "||" (or)`;
  }
  return undefined;
}
