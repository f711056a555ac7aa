import assert from "node:assert/strict";
import { isYaml11NonString, renderScalar } from "../../../lib/images/scalar_text.ts";

Deno.test("YAML 1.1 non-strings are recognised the way go-yaml v2 resolves plain scalars", () => {
  for (
    const v of [
      "1",
      "1.10",
      "20.04",
      "1e3",
      "0x1F",
      "0o17",
      "017",
      "-5",
      "+.5",
      ".inf",
      "yes",
      "Off",
      "~",
      "null",
    ]
  ) {
    assert.equal(isYaml11NonString(v), true, v);
  }
  for (
    const v of ["v1", "1.0.1", "1.0.0-rc.1", "latest", "sha256:abc", "nginx:1.25", "1_000x", "0b2"]
  ) {
    assert.equal(isYaml11NonString(v), false, v);
  }
});

Deno.test("new values keep the old quoting, and plain values quote when they must", () => {
  assert.equal(renderScalar("it's", "single-quoted", false), "'it''s'");
  assert.equal(renderScalar('a"b\\c', "double-quoted", false), '"a\\"b\\\\c"');
  assert.equal(renderScalar("ghcr.io/a/b:1.2.3", "plain", false), "ghcr.io/a/b:1.2.3");
  assert.equal(renderScalar("1.10", "plain", false), '"1.10"');
  assert.equal(renderScalar("a: b", "plain", false), '"a: b"');
  assert.equal(renderScalar("#x", "plain", false), '"#x"');
  assert.equal(renderScalar("a,b", "plain", true), '"a,b"');
  assert.equal(renderScalar("-x", "plain", false), "-x");
  assert.equal(renderScalar("", "plain", false), '""');
});
