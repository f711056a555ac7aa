// Sprig's semver and semverCompare, on lib/semver (Masterminds/semver v3 rules).
import { type FuncMap, GoFuncError, GoInt, typed } from "../gotemplate/mod.ts";
import {
  compare,
  parseConstraint,
  parseVersion,
  satisfies,
  SemverError,
  type Version,
} from "../semver/mod.ts";

/** *semver.Version as templates see it: methods Major, Minor, Patch, Prerelease, Metadata... */
export class SemverVersion {
  static goType = "*semver.Version";
  constructor(private readonly v: Version) {}
  Major(): GoInt {
    return new GoInt(this.v.major, "uint64");
  }
  Minor(): GoInt {
    return new GoInt(this.v.minor, "uint64");
  }
  Patch(): GoInt {
    return new GoInt(this.v.patch, "uint64");
  }
  Prerelease(): string {
    return this.v.prerelease;
  }
  Metadata(): string {
    return this.v.metadata;
  }
  Original(): string {
    return this.v.original;
  }
  String(): string {
    let s = `${this.v.major}.${this.v.minor}.${this.v.patch}`;
    if (this.v.prerelease) s += "-" + this.v.prerelease;
    if (this.v.metadata) s += "+" + this.v.metadata;
    return s;
  }
  /** *semver.Version marshals to JSON as its string form. */
  toJSON(): string {
    return this.String();
  }
  Compare(o: unknown): bigint {
    if (!(o instanceof SemverVersion)) throw new GoFuncError("Compare needs a *semver.Version");
    return BigInt(compare(this.v, o.v));
  }
  GreaterThan(o: unknown): boolean {
    return this.Compare(o) > 0n;
  }
  LessThan(o: unknown): boolean {
    return this.Compare(o) < 0n;
  }
  Equal(o: unknown): boolean {
    return this.Compare(o) === 0n;
  }
}

function parse(text: string): Version {
  try {
    return parseVersion(text);
  } catch (e) {
    if (e instanceof SemverError) throw new GoFuncError("Invalid Semantic Version");
    throw e;
  }
}

export const semverFuncs: FuncMap = {
  semver: typed(["string"], (s: string) => new SemverVersion(parse(s))),
  semverCompare: typed(["string", "string"], (constraint: string, version: string) => {
    let c;
    try {
      c = parseConstraint(constraint);
    } catch (e) {
      if (e instanceof SemverError) throw new GoFuncError(`improper constraint: ${constraint}`);
      throw e;
    }
    return satisfies(parse(version), c);
  }),
};
