// Feature fixtures in testdata/: each directory is built and compared with the output the real
// kustomize (v5.5, `kubectl kustomize`) printed for it, stored beside it as expected.yaml.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { buildKustomization, emitYaml } from "../../../lib/kustomize/mod.ts";
import { parseAll } from "../../../lib/yaml/mod.ts";

export const TESTDATA = fileURLToPath(new URL("./testdata/", import.meta.url));

export function fixtureNames(): string[] {
  return [...Deno.readDirSync(TESTDATA)]
    .filter((e) => e.isDirectory)
    .map((e) => e.name)
    .filter((name) => {
      try {
        Deno.statSync(`${TESTDATA}${name}/expected.yaml`);
        return true;
      } catch {
        return false;
      }
    })
    .sort();
}

for (const name of fixtureNames()) {
  Deno.test(`fixture ${name} prints what kustomize printed`, async () => {
    const out = emitYaml(await buildKustomization(TESTDATA, name));
    const expected = Deno.readTextFileSync(`${TESTDATA}${name}/expected.yaml`);
    assert.deepEqual(parseAll(out), parseAll(expected));
    assert.equal(out, expected);
  });
}
