// Flux post-build substitution against ../shared/conformance/substitute: the 57 envsubst table
// cases and the 8 fixture cases (build, overlay, substitute).
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { emitYaml } from "../../../lib/kustomize/mod.ts";
import {
  buildFluxKustomization,
  envsubst,
  type FluxKustomizationSpec,
  type PostBuild,
  postBuildVariables,
  substitute,
} from "../../../lib/kustomize/flux/mod.ts";
import { parseAll } from "../../../lib/yaml/mod.ts";

const DIR = fileURLToPath(new URL("../../../../shared/conformance/substitute/", import.meta.url));

interface EnvsubstCase {
  mode: "lenient" | "strict";
  vars: Record<string, string>;
  input: string;
  output: string;
  expectError?: boolean;
  errorKind?: string;
}

interface FixtureCase {
  id: string;
  fluxKustomization: string;
  substituteFromObjects?: string[];
  buildDir: string;
  options: { strict?: boolean; always?: boolean };
  expectedFile?: string;
  expectError?: boolean;
  errorContains?: string;
  expectContains?: string[];
  expectNotContains?: string[];
  expectSameOutputAs?: string;
}

function available(): boolean {
  try {
    Deno.statSync(DIR + "cases.json");
    return true;
  } catch {
    return false;
  }
}

const cases = available()
  ? JSON.parse(Deno.readTextFileSync(DIR + "cases.json"))
  : { envsubstCases: [], fixtureCases: [] };

Deno.test({
  name: "envsubst matches all table cases of fluxcd/pkg (lenient and strict)",
  ignore: !available(),
  fn() {
    for (const c of cases.envsubstCases as EnvsubstCase[]) {
      const label = `${c.mode} ${JSON.stringify(c.input)} with ${JSON.stringify(c.vars)}`;
      if (c.expectError) {
        assert.throws(
          () => envsubst(c.input, c.vars, { strict: c.mode === "strict" }),
          (e: Error) => e.message.includes(c.errorKind ?? ""),
          label,
        );
      } else {
        assert.equal(envsubst(c.input, c.vars, { strict: c.mode === "strict" }), c.output, label);
      }
    }
  },
});

async function runFixture(c: FixtureCase): Promise<string> {
  const flux = parseAll(Deno.readTextFileSync(DIR + c.fluxKustomization))[0] as {
    spec: FluxKustomizationSpec & { postBuild?: PostBuild };
  };
  const sources = (c.substituteFromObjects ?? []).flatMap((f) =>
    parseAll(Deno.readTextFileSync(DIR + f)) as Record<string, unknown>[]
  );
  const built = await buildFluxKustomization(DIR, c.buildDir, flux.spec);
  const vars = postBuildVariables(flux.spec.postBuild, sources);
  const run = Object.keys(vars).length > 0 || c.options.always === true;
  const objects = run ? substitute(built, vars, { strict: c.options.strict }) : built;
  return emitYaml(objects);
}

for (const c of cases.fixtureCases as FixtureCase[]) {
  Deno.test(`substitute fixture ${c.id}`, async () => {
    if (c.expectError) {
      await assert.rejects(
        () => runFixture(c),
        (e: Error) => e.message.includes(c.errorContains ?? ""),
      );
      return;
    }
    const out = await runFixture(c);
    if (c.expectedFile) assert.equal(out, Deno.readTextFileSync(DIR + c.expectedFile));
    for (const s of c.expectContains ?? []) assert.ok(out.includes(s), `output contains ${s}`);
    for (const s of c.expectNotContains ?? []) assert.ok(!out.includes(s), `output lacks ${s}`);
    if (c.expectSameOutputAs) {
      const other = (cases.fixtureCases as FixtureCase[]).find((x) =>
        x.id === c.expectSameOutputAs
      )!;
      assert.equal(out, await runFixture(other));
    }
  });
}
