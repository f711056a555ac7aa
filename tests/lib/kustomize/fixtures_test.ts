// Feature fixtures in testdata/: each directory is built and compared with the output the real
// kustomize (v5.5, `kubectl kustomize`) printed for it, stored beside it as expected.yaml.
import assert from "node:assert/strict";
import { buildKustomization, emitYaml } from "../../../lib/kustomize/mod.ts";
import { parseAll } from "../../../lib/yaml/mod.ts";
import { fixtureNames, TESTDATA } from "./fixtures.ts";

for (const name of fixtureNames()) {
  Deno.test(`fixture ${name} prints what kustomize printed`, async () => {
    const out = emitYaml(await buildKustomization(TESTDATA, name));
    const expected = Deno.readTextFileSync(`${TESTDATA}${name}/expected.yaml`);
    assert.deepEqual(parseAll(out), parseAll(expected));
    assert.equal(out, expected);
  });
}
