// Changed files are refused: a flipped ciphertext byte, a changed clear-text value under the
// old MAC, values moved to another key, a changed timestamp, and a wrong key.
import assert from "node:assert/strict";
import { Decryptor, SopsError, SopsMacError, SopsNoKeyError } from "../../../lib/sops/mod.ts";
import { parseAll } from "../../../lib/yaml/mod.ts";
import { CONFORMANCE_DIR, keyringFor } from "./conformance.ts";

const FLUX = "kustomize-controller/internal/controller/testdata/sops/";
const AGE_KEY = FLUX + "keys/age.txt";
const SOPS_PGP = "getsops-sops/pgp/sops_functional_tests_key.asc";

async function read(path: string): Promise<string> {
  return await Deno.readTextFile(CONFORMANCE_DIR + path);
}

async function decryptText(text: string, format: "yaml" | "json" | "dotenv", keys: string[]) {
  const decryptor = new Decryptor(await keyringFor(keys));
  return await decryptor.decryptFile(new TextEncoder().encode(text), format, {
    file: "tampered",
    requireEncrypted: true,
  });
}

/** Flips one base64 character of the first `data:` field after `marker`. */
function flipCiphertext(text: string, marker: string): string {
  const at = text.indexOf("data:", text.indexOf(marker)) + "data:".length;
  const c = text[at];
  return text.slice(0, at) + (c === "A" ? "B" : "A") + text.slice(at + 1);
}

Deno.test("a changed ciphertext byte is refused with the field named", async () => {
  const text = flipCiphertext(await read(FLUX + "algorithms/age.yaml"), "key:");
  await assert.rejects(() => decryptText(text, "yaml", [AGE_KEY]), (e: unknown) => {
    assert.ok(e instanceof SopsError);
    assert.equal(e.reason, "value");
    assert.match(e.message, /^tampered: stringData\.key: cannot decrypt value/);
    return true;
  });
});

Deno.test("a changed ciphertext byte in a dotenv file is refused", async () => {
  const text = flipCiphertext(await read(FLUX + "envs/env.env"), "key=");
  await assert.rejects(() => decryptText(text, "dotenv", [AGE_KEY]), SopsError);
});

Deno.test("a changed clear-text value with the old MAC is refused (MAC mismatch)", async () => {
  // encrypted_regex leaves metadata clear; the MAC still covers it.
  const text = (await read(FLUX + "algorithms/age.yaml")).replace("name: age", "name: evil");
  await assert.rejects(() => decryptText(text, "yaml", [AGE_KEY]), (e: unknown) => {
    assert.ok(e instanceof SopsMacError);
    assert.equal(e.reason, "mac");
    assert.match(e.message, /MAC mismatch/);
    return true;
  });
});

Deno.test("an unencrypted-suffix value changed under the old MAC is refused", async () => {
  const original = await read("getsops-sops/example.yaml");
  const text = original.replace("remain in clear text", "remain in plain text");
  assert.notEqual(text, original);
  await assert.rejects(() => decryptText(text, "yaml", [SOPS_PGP]), SopsMacError);
});

Deno.test("an encrypted value moved to another key is refused (its key path is authenticated)", async () => {
  const text = await read("getsops-sops/example.yaml");
  const user = /user: (ENC\[[^\]]+\])/.exec(text)![1];
  const password = /password: (ENC\[[^\]]+\])/.exec(text)![1];
  const swapped = text.replace(user, "@@").replace(password, user).replace("@@", password);
  await assert.rejects(() => decryptText(swapped, "yaml", [SOPS_PGP]), (e: unknown) => {
    assert.ok(e instanceof SopsError);
    assert.equal(e.reason, "value");
    assert.match(e.message, /app2\.db\.user/);
    return true;
  });
});

Deno.test("a removed value is refused (MAC mismatch)", async () => {
  const text = (await read("getsops-sops/example.yaml")).replace(
    /\n {8}password: ENC\[[^\]]+\]/,
    "",
  );
  await assert.rejects(() => decryptText(text, "yaml", [SOPS_PGP]), SopsMacError);
});

Deno.test("a changed lastmodified is refused (the MAC is sealed under it)", async () => {
  const text = (await read(FLUX + "algorithms/age.yaml")).replace(
    'lastmodified: "2024-11-12T13:33:42Z"',
    'lastmodified: "2024-11-12T13:33:43Z"',
  );
  await assert.rejects(() => decryptText(text, "yaml", [AGE_KEY]), SopsMacError);
});

Deno.test("a wrong key is refused with the recipients tried", async () => {
  const text = await read(FLUX + "global/secret.yaml");
  await assert.rejects(() => decryptText(text, "yaml", [AGE_KEY]), (e: unknown) => {
    assert.ok(e instanceof SopsNoKeyError);
    assert.equal(e.reason, "no-key");
    assert.match(e.message, /age1henwn645drkd3fa34t27t2w2x0nsgw3w4h62gmg5x5xflyjpy38s5cncph/);
    return true;
  });
});

Deno.test("a document changed by a transformer after encryption fails its MAC", async () => {
  const [doc] = parseAll(await read(FLUX + "algorithms/age.yaml")) as Record<string, unknown>[];
  const decryptor = new Decryptor(await keyringFor([AGE_KEY]));
  const plain = await decryptor.decryptDocument(structuredClone(doc), { file: "age.yaml" });
  assert.deepEqual(plain.stringData, { key: "value" });
  assert.equal(plain.sops, undefined);
  const prefixed = structuredClone(doc);
  (prefixed.metadata as Record<string, unknown>).name = "sops-algo-age";
  await assert.rejects(
    () => decryptor.decryptDocument(prefixed, { file: "age.yaml" }),
    SopsMacError,
  );
});

Deno.test("error messages never contain decrypted values", async () => {
  const text = (await read("getsops-sops/example.yaml")).replace("all elements", "some elements");
  const err = await decryptText(text, "yaml", [SOPS_PGP]).catch((e) => e as Error);
  assert.ok(err instanceof SopsMacError);
  for (const secret of ["c4r1b0u", "secretuser1", "t00m4nys3cr3tzupdated", "eve"]) {
    assert.ok(!err.message.includes(secret), `message leaks ${secret}`);
  }
});
