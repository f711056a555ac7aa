import assert from "node:assert/strict";
import { renderConfigReference } from "../../../agent/config/mod.ts";
import { formattedConfigReference } from "../../../agent/config/write_reference_doc.ts";

Deno.test("docs/config.md is what the schemas generate (run agent/config/write_reference_doc.ts)", async () => {
  const committed = Deno.readTextFileSync(new URL("../../../docs/config.md", import.meta.url));
  assert.equal(committed, await formattedConfigReference());
});

Deno.test("the reference documents every kind, apiVersion and default", () => {
  const doc = renderConfigReference();
  for (
    const heading of ["Agent", "GitRepository", "HelmRelease", "ImageUpdateAutomation", "Provider"]
  ) {
    assert.match(doc, new RegExp(`^## ${heading}$`, "m"));
  }
  assert.match(doc, /`helm\.toolkit\.fluxcd\.io\/v2beta1`/);
  assert.match(
    doc,
    /\| `spec\.timeout` \| duration \| the interval \| timeout of apply and health checks \|/,
  );
  assert.match(doc, /\| `spec\.ref\.branch` \| string \| "master" when no other field is set \|/);
});

Deno.test("every field of every kind has a description", () => {
  const undocumented = renderConfigReference().split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => line.split(/(?<!\\)\|/).map((cell) => cell.trim()))
    .filter((cells) => cells[4] === "")
    .map((cells) => cells[1]);
  assert.deepEqual(undocumented, []);
});
