import assert from "node:assert/strict";
import {
  compare,
  formatVersion,
  maxSatisfying,
  parseConstraint,
  parseTagVersion,
  parseVersion,
  satisfies,
  SemverError,
  sortVersions,
} from "../../../lib/semver/mod.ts";

Deno.test("maxSatisfying skips non-versions and returns the highest match with its original text", () => {
  const best = maxSatisfying(
    ["v1.2.0", "latest", "1.10.0", "1.9.9", "2.0.0"],
    parseConstraint("~1"),
  );
  assert.equal(best?.original, "1.10.0");
  assert.equal(maxSatisfying(["x", "y"], parseConstraint("*")), undefined);
  assert.equal(
    maxSatisfying(["1.2", "1.1.0"], parseConstraint("^1"), parseTagVersion)?.original,
    "1.1.0",
  );
});

Deno.test("sortVersions orders by precedence, pre-releases first", () => {
  const sorted = sortVersions([
    "1.0.0",
    "1.0.0-rc.1",
    "v0.9",
    "1.0.0-beta.11",
    "1.0.0-beta.2",
    "nope",
  ]);
  assert.deepEqual(sorted.map((v) => v.original), [
    "v0.9",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
  ]);
});

Deno.test("constraints: comma and space mean AND, || means OR, hyphen ranges are inclusive", () => {
  const ok = (c: string, v: string) => satisfies(parseVersion(v), parseConstraint(c));
  assert.equal(ok(">= 1.2, < 2", "1.9.9"), true);
  assert.equal(ok(">=1.2 <2", "2.0.0"), false);
  assert.equal(ok("<1 || >=3", "3.1.0"), true);
  assert.equal(ok("1.2 - 1.4", "1.4.9"), true);
  assert.equal(ok("1.2.3 - 1.4.0", "1.4.1"), false);
  assert.equal(ok("^0.2.3", "0.3.0"), false);
  assert.equal(ok("~1.2.3", "1.2.9"), true);
  assert.equal(ok("!=1.2.x", "1.2.7"), false);
});

Deno.test("versions: v prefix, short forms, 64-bit segments, metadata ignored in comparison", () => {
  assert.equal(formatVersion(parseVersion("v1.2")), "1.2.0");
  assert.equal(parseVersion("18446744073709551615.0.0").major, 18446744073709551615n);
  assert.throws(() => parseVersion("18446744073709551616.0.0"), SemverError);
  assert.equal(compare(parseVersion("1.0.0+a"), parseVersion("1.0.0+b")), 0);
  assert.throws(() => parseTagVersion("1.2"), /MAJOR.MINOR.PATCH/);
  assert.throws(() => parseConstraint(">= 1.x.y"), /improper constraint/);
});
