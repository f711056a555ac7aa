// Semantic versions and constraints with Masterminds/semver v3 semantics (Flux, Helm, Sprig).
export {
  compare,
  formatVersion,
  parseStrictVersion,
  parseTagVersion,
  parseVersion,
  SemverError,
  type Version,
} from "./version.ts";
export {
  type Comparison,
  type Constraint,
  type Operator,
  parseConstraint,
  satisfies,
} from "./constraint.ts";
export { maxSatisfying, sortVersions } from "./select.ts";
