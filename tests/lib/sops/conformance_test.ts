// Every case of ../shared/conformance/sops: files encrypted by the real sops decrypt to exactly
// the published plaintext, and the negative cases are refused.
import assert from "node:assert/strict";
import { Decryptor, SopsError } from "../../../lib/sops/mod.ts";
import { parseAll } from "../../../lib/yaml/mod.ts";
import { asData, CONFORMANCE_DIR, keyringFor, loadCases } from "./conformance.ts";

const cases = await loadCases();

for (const c of cases) {
  const outcome = c.expectError ? "is refused" : "decrypts to the expected plaintext";
  Deno.test(`conformance: ${c.encrypted} (${c.format}, ${c.mode}, keys: ${c.keys.length}) ${outcome}`, async () => {
    const decryptor = new Decryptor(await keyringFor(c.keys));
    const bytes = await Deno.readFile(CONFORMANCE_DIR + c.encrypted);
    const file = c.encrypted;

    if (c.mode === "flux-secret-data") {
      const [doc] = parseAll(new TextDecoder().decode(bytes)) as Record<string, unknown>[];
      const out = await decryptor.decryptDocument(doc, { file });
      const [expected] = parseAll(
        await Deno.readTextFile(CONFORMANCE_DIR + c.expected!),
      ) as Record<string, unknown>[];
      assert.deepEqual(out, expected);
      return;
    }

    const run = () =>
      decryptor.decryptFile(bytes, c.format, { file, requireEncrypted: c.mode === "sops" });
    if (c.expectError) {
      await assert.rejects(run, (e: unknown) => {
        assert.ok(e instanceof SopsError, `expected a SopsError, got ${e}`);
        assert.ok(e.message.startsWith(file), "the error names the file");
        return true;
      });
      return;
    }
    const out = await run();
    const expected = await Deno.readFile(CONFORMANCE_DIR + c.expected!);
    assert.deepEqual(asData(out, c.format), asData(expected, c.format));
    if (c.expectedExactOutput !== undefined) {
      assert.equal(new TextDecoder().decode(out), c.expectedExactOutput);
    }
    for (const comment of c.expectedComments ?? []) {
      assert.ok(
        new TextDecoder().decode(out).includes(comment.text.trim()),
        `decrypted comment ${JSON.stringify(comment.text)} is in the output`,
      );
    }
  });
}

Deno.test("conformance: the case table is complete (32 cases, 6 refusals)", () => {
  assert.equal(cases.length, 32);
  assert.equal(cases.filter((c) => c.expectError).length, 6);
});
