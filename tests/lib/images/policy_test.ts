import assert from "node:assert/strict";
import { expandTemplate, filterTags, PolicyError, selectLatest } from "../../../lib/images/mod.ts";

Deno.test("semver: equal versions keep the first tag listed; two-part tags are not releases", () => {
  const spec = { policy: { semver: { range: ">=1.0.0" } } };
  assert.equal(selectLatest(spec, ["v1.0.0", "1.0.0", "0.9.0"]), "v1.0.0");
  assert.equal(selectLatest(spec, ["1.0.0", "v1.0.0"]), "1.0.0");
  assert.equal(selectLatest(spec, ["1.5", "1.0.0"]), "1.0.0");
  assert.equal(selectLatest(spec, ["1.0.0+build.1", "1.0.0+build.2"]), "1.0.0+build.1");
});

Deno.test("semver: pre-releases only when the range asks for them", () => {
  const tags = ["1.0.0", "1.1.0-rc.1", "1.1.0-rc.2"];
  assert.equal(selectLatest({ policy: { semver: { range: ">=1.0.0" } } }, tags), "1.0.0");
  assert.equal(selectLatest({ policy: { semver: { range: ">=1.0.0-0" } } }, tags), "1.1.0-rc.2");
});

Deno.test("numerical: equal values let the later tag win, as Flux's loop does", () => {
  assert.equal(selectLatest({ policy: { numerical: {} } }, ["1.0", "1", "0.5"]), "1");
  assert.equal(
    selectLatest({ policy: { numerical: { order: "desc" } } }, ["2", "1e0", "1.0"]),
    "1.0",
  );
  assert.equal(
    selectLatest({ policy: { numerical: { order: "ASC" } } }, ["0x10p0", "15"]),
    "0x10p0",
  );
});

Deno.test("alphabetical compares bytes, as Go's sort.Strings does", () => {
  assert.equal(selectLatest({ policy: { alphabetical: {} } }, ["Zeta", "alpha", "_x"]), "alpha");
  assert.equal(selectLatest({ policy: { alphabetical: { order: "desc" } } }, ["b", "B", "a"]), "B");
});

Deno.test("extract follows Go's Expand: $name runs to the longest word, ${name}, $$", () => {
  const m = /^(?<major>\d+)\.(\d+)$/.exec("12.34")!;
  assert.equal(expandTemplate("$major-$2", m), "12-34");
  assert.equal(expandTemplate("$1x", m), "");
  assert.equal(expandTemplate("${1}x", m), "12x");
  assert.equal(expandTemplate("$$1 $", m), "$1 $");
  assert.equal(expandTemplate("${unclosed", m), "${unclosed");
  assert.equal(expandTemplate("$nosuch.", m), ".");
});

Deno.test("filterTags: colliding extracted values map to the later tag", () => {
  const kept = filterTags({ pattern: "^(?P<v>\\d+)-(a|b)$", extract: "$v" }, ["1-a", "1-b", "2-a"]);
  assert.deepEqual([...kept.entries()], [["1", "1-b"], ["2", "2-a"]]);
});

Deno.test("failures carry a reason: invalid filter, invalid policy, no tags, nothing matching", () => {
  const reason = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof PolicyError);
      return e.reason;
    }
    return "no error";
  };
  assert.equal(
    reason(() =>
      selectLatest({ policy: { alphabetical: {} }, filterTags: { pattern: "(" } }, ["a"])
    ),
    "InvalidFilter",
  );
  assert.equal(
    reason(() => selectLatest({ policy: { numerical: { order: "up" } } }, ["1"])),
    "InvalidPolicy",
  );
  assert.equal(reason(() => selectLatest({ policy: { alphabetical: {} } }, [])), "NoTags");
  assert.equal(
    reason(() => selectLatest({ policy: { semver: { range: "^9" } } }, ["1.0.0"])),
    "NoMatchingTag",
  );
  assert.match(
    String(
      reason(() =>
        selectLatest({
          policy: { semver: { range: "1.0.x" } },
          filterTags: { pattern: "^test-(.*" },
        }, ["a"])
      ),
    ),
    /InvalidFilter/,
  );
  assert.throws(
    () =>
      selectLatest({
        policy: { semver: { range: ">=0" } },
        filterTags: { pattern: "^test-(.*", extract: "$1" },
      }, ["a"]),
    /invalid regular expression pattern '\^test-\(\.\*'/,
  );
});
