// Strings with a meaning Flux checks: Go durations, URLs of given schemes, Kubernetes names,
// Masterminds semver ranges and Go (RE2) regular expressions.
import { DurationError, parseDurationNanos } from "../../../lib/duration/mod.ts";
import { compileGoRegexp, GoRegexpError } from "../../../lib/regexp/mod.ts";
import { checkSemverRange } from "./semver_range.ts";
import { StringSchema } from "./scalars.ts";
import type { CheckContext, Invalid } from "./schema.ts";
import { INVALID } from "./schema.ts";

// Flux's CRDs accept only this subset of Go durations (no sign, no ns/us); some timeouts
// accept no hours either.
const FLUX_DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;
const FLUX_DURATION_NO_HOURS = /^([0-9]+(\.[0-9]+)?(ms|s|m))+$/;

/** A check applied after the value is known to be a string; returns a message or nothing. */
type StringCheck = (value: string) => string | undefined;

class FormattedString extends StringSchema {
  constructor(name: string, readonly validate: StringCheck) {
    super({}, name);
  }

  protected override checkValue(value: unknown, path: string, ctx: CheckContext): string | Invalid {
    const checked = super.checkValue(value, path, ctx);
    if (checked === INVALID) return INVALID;
    const problem = this.validate(checked);
    if (problem === undefined) return checked;
    ctx.report(path, problem);
    return INVALID;
  }
}

/** A Go duration as Flux writes it: "90s", "1m30s", "1h", "500ms". */
export function duration(options: { hours?: boolean } = {}): StringSchema {
  const hours = options.hours ?? true;
  return new FormattedString("duration", (value) => {
    try {
      parseDurationNanos(value);
    } catch (e) {
      if (e instanceof DurationError) return e.message;
      throw e;
    }
    if (!(hours ? FLUX_DURATION : FLUX_DURATION_NO_HOURS).test(value)) {
      const units = hours ? "h, m, s and ms" : "m, s and ms (no hours)";
      return `invalid duration "${value}": Flux accepts positive durations in ${units} only here, such as 90s, 1m30s or 500ms`;
    }
    return undefined;
  });
}

/** A URL whose scheme is one of `schemes` ("https", "ssh", "oci"...). */
export function url(...schemes: string[]): StringSchema {
  const expected = schemes.map((s) => `${s}://`).join(", ").replace(/, ([^,]*)$/, " or $1");
  return new FormattedString("URL", (value) => {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1];
    if (!scheme || !schemes.includes(scheme)) {
      return `expected a URL starting with ${expected}, got ${JSON.stringify(value)}`;
    }
    try {
      // WHATWG URL parsing does not know oci:// or ssh:// hosts; reading them as https checks
      // the host and port the same way.
      const parsed = new URL(value.replace(/^[^:]+:/, "https:"));
      if (parsed.hostname === "") return `URL ${JSON.stringify(value)} has no host`;
    } catch {
      return `invalid URL ${JSON.stringify(value)}`;
    }
    return undefined;
  });
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Kubernetes object name (DNS-1123 subdomain, at most 253 characters). */
export function objectName(): StringSchema {
  return new FormattedString("name", (value) => {
    if (value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
      return `invalid name ${
        JSON.stringify(value)
      }: expected lower-case letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters`;
    }
    return undefined;
  });
}

/** A namespace name (DNS-1123 label, at most 63 characters). */
export function namespaceName(): StringSchema {
  return new FormattedString("namespace", (value) => {
    if (value.length > 63 || !DNS_LABEL.test(value)) {
      return `invalid namespace ${
        JSON.stringify(value)
      }: expected lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters`;
    }
    return undefined;
  });
}

/** A Masterminds semver constraint, as Flux reads `semver` ranges: ">=1.0.0 <2.0.0", "^1.2". */
export function semverRange(): StringSchema {
  return new FormattedString("semver range", checkSemverRange);
}

/** A Go (RE2) regular expression that JavaScript can match the same way. */
export function goRegexp(): StringSchema {
  return new FormattedString("regexp", (value) => {
    try {
      compileGoRegexp(value);
    } catch (e) {
      if (e instanceof GoRegexpError) return e.message;
      throw e;
    }
    return undefined;
  });
}
