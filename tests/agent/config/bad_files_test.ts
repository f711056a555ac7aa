// Every tests/fixtures/config/bad/NAME.yaml must fail with exactly the problems listed in
// NAME.expected.txt (one formatted problem per line; hints on indented lines).
import assert from "node:assert/strict";
import { ConfigError, formatProblem, loadConfigText } from "../../../agent/config/mod.ts";

const dir = new URL("../../fixtures/config/bad/", import.meta.url);
const fixtures = [...Deno.readDirSync(dir)]
  .map((e) => e.name)
  .filter((name) => name.endsWith(".yaml"))
  .sort();

Deno.test("there are at least 40 bad config files, each with its expected message", () => {
  assert.ok(fixtures.length >= 40, `only ${fixtures.length} bad files`);
  for (const name of fixtures) {
    const expected = new URL(name.replace(/\.yaml$/, ".expected.txt"), dir);
    assert.ok(Deno.statSync(expected).isFile, `${name} has no .expected.txt`);
  }
});

for (const name of fixtures) {
  Deno.test(`bad config ${name} fails with the expected problems`, () => {
    const text = Deno.readTextFileSync(new URL(name, dir));
    const expected = Deno.readTextFileSync(new URL(name.replace(/\.yaml$/, ".expected.txt"), dir))
      .trimEnd();
    let error: unknown;
    try {
      loadConfigText(text, name);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof ConfigError, `${name} loaded without error`);
    assert.equal(error.problems.map(formatProblem).join("\n"), expected);
    for (const p of error.problems) assert.equal(p.file, name);
  });
}
