// The Kustomize conformance cases of ../shared/conformance/kustomize: every case is built in
// both orders and must print exactly what kustomize v5.5 printed (compared as parsed YAML, in
// order, and byte for byte); the error cases must fail.
import assert from "node:assert/strict";
import { buildKustomization, emitYaml, KustomizeError } from "../../../lib/kustomize/mod.ts";
import { parseAll } from "../../../lib/yaml/mod.ts";
import { CONFORMANCE_DIR, conformanceAvailable, readCases } from "./conformance_cases.ts";

const cases = conformanceAvailable() ? readCases() : [];

Deno.test({
  name: "kustomize conformance data is present",
  ignore: cases.length === 0,
  fn() {
    assert.equal(cases.length, 98);
  },
});

for (const c of cases) {
  const dir = CONFORMANCE_DIR + c.id;
  if (c.expectError) {
    Deno.test(`kustomize ${c.id} fails as kustomize does`, async () => {
      await assert.rejects(() => buildKustomization(dir, "build"), KustomizeError);
    });
    continue;
  }
  for (const order of ["legacy", "fifo"] as const) {
    Deno.test(`kustomize ${c.id} (${order})`, async () => {
      const out = emitYaml(await buildKustomization(dir, "build", { sort: order }));
      const expected = Deno.readTextFileSync(
        `${dir}/${order === "legacy" ? "expected.yaml" : "expected-fifo.yaml"}`,
      );
      assert.deepEqual(parseAll(out), parseAll(expected));
      assert.equal(out, expected);
    });
  }
}
