// filterTags (pattern + extract) against Go's own regexp and Regexp.ExpandString, through the Go
// oracle in tests/oracle/semver: the RE2 → JavaScript translation and Go's `$name` expansion.
import assert from "node:assert/strict";
import { filterTags, PolicyError } from "../../../lib/images/mod.ts";
import { runOracle } from "../../support/go.ts";

const TAGS = [
  "1.0.0",
  "v1.2.3",
  "1.0.0-rc.1",
  "main-1a2b3c4-1700000000",
  "main-ffeedd0-1700000123",
  "dev-abc",
  "RELEASE.2024-01-02T03-04-05Z",
  "20.04",
  "ubuntu-20.04",
  "build_42",
  "x.sig",
  "a b",
  "Über-1",
];

// [pattern, extract]
const FILTERS: [string, string][] = [
  ["", ""],
  ["^v?\\d+\\.\\d+\\.\\d+$", ""],
  ["^main-[a-f0-9]+-(?P<ts>[0-9]+)", "$ts"],
  ["^main-(?P<sha>[a-f0-9]+)-(?P<ts>[0-9]+)", "${ts}-$sha"],
  ["^(?P<major>\\d+)\\.(?P<minor>\\d+)", "$major$minor"],
  ["^(\\d+)\\.(\\d+)", "$1x$2"],
  ["^(\\d+)\\.(\\d+)", "${1}x$2"],
  ["^(?i)release\\.(.*)$", "$1"],
  ["(?i)^ubuntu-(.*)", "$1"],
  ["^[[:alpha:]]+_(\\d+)$", "$1"],
  ["\\.sig$", ""],
  ["^\\Qx.sig\\E$", ""],
  ["^a\\sb$", ""],
  ["^[^-]+-\\d$", ""],
  ["^(dev|main)-", "$$1 $1"],
  ["^(?P<v>\\d+)", "$nosuch$v"],
  ["^1\\.0\\.0(-rc\\.(?P<n>\\d+))?$", "n=$n"],
  ["\\d{2}\\.\\d{2}$", ""],
  ["^test-(.*", "$1"],
  ["[=", ""],
  ["a{2,1}", ""],
];

Deno.test("filterTags keeps and extracts exactly what Go's regexp does", async () => {
  const queries: string[] = [];
  for (const [pattern, extract] of FILTERS) {
    for (const tag of TAGS) queries.push(`filter\t${pattern}\t${extract}\t${tag}\n`);
  }
  const answers = (await runOracle("semver", queries.join(""))).split("\n");
  let i = 0;
  for (const [pattern, extract] of FILTERS) {
    let kept: Map<string, string> | "badpattern";
    try {
      kept = new Map();
      for (const tag of TAGS) {
        const one = filterTags({ pattern, extract }, [tag]);
        for (const [value, original] of one) kept.set(original, value);
      }
    } catch (e) {
      assert.ok(e instanceof PolicyError && e.reason === "InvalidFilter", String(e));
      kept = "badpattern";
    }
    for (const tag of TAGS) {
      const go = answers[i++];
      const ours = kept === "badpattern" ? "badpattern" : kept.get(tag) ?? "nomatch";
      assert.equal(
        ours,
        go,
        `pattern ${JSON.stringify(pattern)} extract ${JSON.stringify(extract)} tag ${tag}`,
      );
    }
  }
});
