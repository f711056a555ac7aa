import { buildKustomization, emitYaml } from "../../../lib/kustomize/mod.ts";
import { CONFORMANCE_DIR, readCases } from "./conformance_cases.ts";
import { YAML } from "../../../lib/yaml/mod.ts";
import { isDeepStrictEqual } from "node:util";
const only = Deno.args[0];
let pass = 0, fail = 0, bytes = 0;
for (const c of readCases()) {
  if (only && !c.id.startsWith(only)) continue;
  const dir = CONFORMANCE_DIR + c.id;
  for (const order of ["legacy", "fifo"] as const) {
    let out: string;
    try {
      out = emitYaml(await buildKustomization(dir, "build", { sort: order }));
    } catch (e) {
      if (c.expectError) { pass++; if (only) console.log("error ok:", (e as Error).message); continue; }
      fail++; console.log(`FAIL ${c.id} ${order}: ${(e as Error).message}`); if (only) console.log((e as Error).stack); continue;
    }
    if (c.expectError) { fail++; console.log(`FAIL ${c.id}: expected error`); continue; }
    const exp = Deno.readTextFileSync(`${dir}/${order === "legacy" ? "expected.yaml" : "expected-fifo.yaml"}`);
    const a = YAML.parseAllDocuments(out).map((d) => d.toJS());
    const b = YAML.parseAllDocuments(exp).map((d) => d.toJS());
    if (isDeepStrictEqual(a, b)) { pass++; if (out === exp) bytes++; else if (only) { console.log("bytes differ"); Deno.writeTextFileSync("/tmp/out.yaml", out); } }
    else { fail++; console.log(`FAIL ${c.id} ${order}`); if (only) { Deno.writeTextFileSync("/tmp/out.yaml", out); Deno.writeTextFileSync("/tmp/exp.yaml", exp); } }
  }
}
console.log(`pass ${pass} fail ${fail} byte-identical ${bytes}`);
