// Differential test: skiff's constraint checks, comparisons and parsing against Masterminds/semver
// itself (Debian's golang-github-masterminds-semver-dev, via tests/oracle/semver).
import assert from "node:assert/strict";
import { runOracle } from "../../support/go.ts";
import {
  compare,
  formatVersion,
  parseConstraint,
  parseStrictVersion,
  parseVersion,
  satisfies,
} from "../../../lib/semver/mod.ts";

const HAND_CONSTRAINTS = [
  "1.0.x",
  "^1.0",
  "=1.0.0",
  "~1.0",
  ">=1.0",
  ">0,<2.0",
  "1.0.0p",
  "1x",
  "x1",
  "-1",
  "a",
  "",
  "*-*",
  "*",
  "x",
  "1.x",
  "1.2.x",
  "v1.0.x",
  ">= 1.2, < 2",
  ">=1.2 <2",
  "1.2 - 1.4.5",
  "1.2.3 - 2",
  ">= 1.0.0-alpha",
  ">=1.0.0-0",
  "<1.0.0-beta",
  "^0.2.3",
  "^0.0.3",
  "^0.0",
  "^0",
  "^0.x",
  "~0.0.0",
  "~*",
  "~1",
  "~1.2.3",
  "~>1.2",
  "!=1.2.3",
  "!=1.x",
  "!=1.2.x",
  "!=1.2.x-0",
  ">1",
  ">1.1",
  ">1.1.1",
  "<=1",
  "<=1.1",
  "=<1.1.1",
  "=>1.1",
  "1.2 || 2.x",
  "^1.2 || ^2.3, <2.5",
  "> 1.0.0-alpha.1",
  "1.2.3+build",
  ">=1.2.3+meta",
  "1.2.3-rc.1",
  "v2",
  "V2",
  "1.*.3",
  ">=1.0 || <0.5",
  "1 - 2 || 3 - 4",
  "  >=1.0  ",
  ">= 1.0,,< 2",
  ">=1.0|<2",
  "1.2.3 2.3.4",
  "~1.2.3-beta",
  "^1.2.3-beta.2",
  ">=01.2",
  "1.02.3",
  "18446744073709551616",
  "^*",
];

const HAND_VERSIONS = [
  "0.0.0",
  "0.0.1",
  "0.0.3",
  "0.0.4",
  "0.1.0",
  "0.2.3",
  "0.2.9",
  "0.3.0",
  "0.5.0",
  "1.0.0",
  "1.0.0-alpha",
  "1.0.0-alpha.1",
  "1.0.0-beta",
  "1.0.0-rc.1",
  "1.0.1",
  "1.1.0",
  "1.1.1",
  "1.2.0",
  "1.2.3",
  "1.2.3-beta",
  "1.2.3-beta.3",
  "1.2.4",
  "1.3.0",
  "1.4.5",
  "1.4.6",
  "1.5.0",
  "2.0.0",
  "2.0.0-rc.1",
  "2.3.0",
  "2.4.9",
  "2.5.0",
  "3.0.0",
  "3.5.0",
  "4.0.0",
  "10.0.0",
  "v1.2.3",
  "v2.0.0",
  "1.2",
  "1",
  "1.2.3+build.5",
  "01.2.3",
  "1.2.3.4",
  "1.2.3-01",
];

// Deterministic generation, so a failure can be reproduced.
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function generatedConstraints(count: number): string[] {
  const rnd = prng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const ops = ["", "=", "!=", ">", "<", ">=", "<=", "~", "^", "~>", "=>", "=<"];
  const parts = ["0", "1", "2", "3", "x", "*"];
  const pres = ["", "", "", "-alpha", "-beta.2", "-0", "-rc.1"];
  const version = () => {
    const n = 1 + Math.floor(rnd() * 3);
    const segs = Array.from({ length: n }, () => pick(parts));
    return segs.join(".") + pick(pres);
  };
  const comparison = () => pick(ops) + pick(["", " "]) + version();
  const conjunction = () => {
    if (rnd() < 0.15) return `${version()} - ${version()}`;
    const n = 1 + Math.floor(rnd() * 2);
    return Array.from({ length: n }, comparison).join(pick([", ", " ", ","]));
  };
  return Array.from({ length: count }, () => {
    const n = rnd() < 0.2 ? 2 : 1;
    return Array.from({ length: n }, conjunction).join(" || ");
  });
}

function skiffCheck(c: string, v: string): string {
  let constraint;
  try {
    constraint = parseConstraint(c);
  } catch {
    return "badconstraint";
  }
  let version;
  try {
    version = parseVersion(v);
  } catch {
    return "badversion";
  }
  return String(satisfies(version, constraint));
}

Deno.test("constraint checks agree with Masterminds/semver on hand-written and generated pairs", async () => {
  const constraints = [...HAND_CONSTRAINTS, ...generatedConstraints(120)];
  const pairs = constraints.flatMap((c) => HAND_VERSIONS.map((v) => [c, v] as const));
  assert.ok(pairs.length >= 300);
  const out = (await runOracle("semver", pairs.map(([c, v]) => `check\t${c}\t${v}\n`).join("")))
    .trimEnd().split("\n");
  const mismatches: string[] = [];
  pairs.forEach(([c, v], i) => {
    const ours = skiffCheck(c, v);
    if (ours !== out[i]) {
      mismatches.push(`${JSON.stringify(c)} vs ${v}: skiff ${ours}, Go ${out[i]}`);
    }
  });
  assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} of ${pairs.length} differ`);
  const counts = new Map<string, number>();
  for (const r of out) counts.set(r, (counts.get(r) ?? 0) + 1);
  // The generated set must exercise both outcomes, not just parse errors.
  assert.ok((counts.get("true") ?? 0) > 300 && (counts.get("false") ?? 0) > 300);
});

Deno.test("version ordering agrees with Masterminds/semver", async () => {
  const versions = [
    ...HAND_VERSIONS,
    "1.0.0-alpha.beta",
    "1.0.0-beta.11",
    "1.0.0-beta.2",
    "1.0.0-2",
    "1.0.0-10",
    "1.0.0-a.b.c",
    "1.0.0-a.b",
    "1.0.0-18446744073709551616",
    "1.0.0-x-y",
  ];
  const pairs = versions.flatMap((a) => versions.map((b) => [a, b] as const));
  const out = (await runOracle("semver", pairs.map(([a, b]) => `compare\t${a}\t${b}\n`).join("")))
    .trimEnd().split("\n");
  pairs.forEach(([a, b], i) => {
    let ours: string;
    try {
      ours = String(compare(parseVersion(a), parseVersion(b)));
    } catch {
      ours = "badversion";
    }
    assert.equal(ours, out[i], `compare(${a}, ${b})`);
  });
});

Deno.test("loose and strict parsing accept and normalise what Masterminds/semver does", async () => {
  const texts = [
    ...HAND_VERSIONS,
    "",
    "v",
    "1.2.3-",
    "1.2.3+",
    "1.2.3-a..b",
    "1.2.3+a..b",
    "1.2.3-a+b+c",
    "00.1.2",
    "1.0.0-00",
    "1.0.0+00",
    "v1.2.3-rc.1+exp.sha.5114f85",
    "1.2.3 ",
    " 1.2.3",
    "18446744073709551615.0.0",
    "18446744073709551616.0.0",
    "1.2.3-ünicode",
  ];
  const queries = texts.flatMap((t) => [`parse\t${t}\n`, `strict\t${t}\n`]).join("");
  const out = (await runOracle("semver", queries)).trimEnd().split("\n");
  texts.forEach((t, i) => {
    const loose = attempt(() => formatVersion(parseVersion(t)));
    const strict = attempt(() => formatVersion(parseStrictVersion(t)));
    assert.equal(loose, out[2 * i], `parse ${JSON.stringify(t)}`);
    assert.equal(strict, out[2 * i + 1], `strict ${JSON.stringify(t)}`);
  });
});

function attempt(f: () => string): string {
  try {
    return f();
  } catch {
    return "badversion";
  }
}
