// Flux's own policy test tables (../shared/conformance/image-policy) reproduced exactly.
import assert from "node:assert/strict";
import {
  compilePolicy,
  filterTags,
  type ImagePolicySpec,
  PolicyError,
  selectLatest,
} from "../../../lib/images/mod.ts";

const DATA = new URL("../../../../shared/conformance/image-policy/", import.meta.url);

interface SelectionCase {
  id: string;
  policy: ImagePolicySpec["policy"];
  filterTags?: ImagePolicySpec["filterTags"];
  tags: string[];
  expected?: string;
  expectError?: boolean;
}

interface ValidationCase {
  policy: ImagePolicySpec["policy"];
  expectError: boolean;
}

interface FilterCase {
  label: string;
  tags: string[];
  pattern: string;
  extract: string;
  expectedSorted: string[];
}

async function load<T>(name: string): Promise<T> {
  return JSON.parse(await Deno.readTextFile(new URL(name, DATA)));
}

const selection = await load<SelectionCase[]>("cases.json");
for (const c of selection) {
  Deno.test(`policy table: ${c.id}`, () => {
    const spec: ImagePolicySpec = { policy: c.policy, filterTags: c.filterTags };
    if (c.expectError) {
      assert.throws(() => selectLatest(spec, c.tags), PolicyError);
      return;
    }
    assert.equal(selectLatest(spec, c.tags), c.expected);
    // Upstream shuffles some lists: the answer must not depend on the order of the tags.
    assert.equal(selectLatest(spec, [...c.tags].reverse()), c.expected);
  });
}

Deno.test("policy validation table: valid and invalid specs", async () => {
  const cases = await load<ValidationCase[]>("policy-validation.json");
  for (const c of cases) {
    let error: unknown;
    try {
      compilePolicy({ policy: c.policy });
    } catch (e) {
      error = e;
    }
    assert.equal(error !== undefined, c.expectError, JSON.stringify(c.policy));
    if (error) assert.ok(error instanceof PolicyError && error.reason === "InvalidPolicy");
  }
});

Deno.test("filter table: kept values after pattern and extract", async () => {
  const cases = await load<FilterCase[]>("filter-cases.json");
  for (const c of cases) {
    const kept = filterTags({ pattern: c.pattern, extract: c.extract }, c.tags);
    assert.deepEqual([...kept.keys()].sort(), c.expectedSorted, c.label);
  }
});
