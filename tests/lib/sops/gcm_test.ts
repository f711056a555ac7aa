// AES-256-GCM opening with nonces of any length, against values sealed by Go's
// crypto/cipher.NewGCMWithNonceSize (the call SOPS makes), recorded here as hex.
import assert from "node:assert/strict";
import { GcmAuthError, GcmKey } from "../../../lib/sops/gcm.ts";

const hex = (s: string) => Uint8Array.from(s.match(/../g)!, (b) => parseInt(b, 16));
const KEY = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
const PLAIN = "skiff decrypts SOPS values sealed with 32-byte nonces, across several blocks!";
const AAD = new TextEncoder().encode("stringData:password:");
// Go 1.19: key above, nonce bytes 0xa0, 0xa1, ..., AAD above; output is ciphertext || tag.
const SEALED_BY_GO: Record<number, string> = {
  32:
    "dad39be0a49f7aa088e46f618cef85ef59604cdf0884f39769e37ceee5bb8ca96eb846e1c7a59da5ec7e7ad8588d02763113709a44f84ce6367ac032c30b325bf251e68930102cd1cd33a85ae37e0b9d655930d777238369ac0325f328",
  60:
    "ccbc0e329bd46cd2280f515ab563e354ebbfce5f8211726fbd5a00b4a68379466f5e393b0a74d566a8dceaa5c997e5b8665df3a0654fdf14b48f11b55ad7aca804543c9c1dafc0d7d4ef1f313fd5cb4bd393e774cccbb6c898bb07ad98",
  8: "e52550730244a69ea48c1c3b4b83b8428f3daa08827f3b2287698cdbee95f4c321f640aa987d62fb23e674e2c8450dfbcc54273e8582474cdf7aa53cf7f04e798f71ed5472e1a8e0ef1707248beea248cd871722b4b5f7523978974a10",
};

function nonce(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => 0xa0 + i);
}

for (const [n, sealed] of Object.entries(SEALED_BY_GO)) {
  Deno.test(`opens values Go sealed with a ${n}-byte nonce`, async () => {
    const key = await GcmKey.import(KEY);
    const out = await key.open(nonce(Number(n)), hex(sealed), AAD);
    assert.equal(new TextDecoder().decode(out), PLAIN);
  });
}

Deno.test("a changed tag, ciphertext byte or additional data fails authentication", async () => {
  const key = await GcmKey.import(KEY);
  const sealed = hex(SEALED_BY_GO[32]);
  const badTag = sealed.slice();
  badTag[badTag.length - 1] ^= 1;
  const badData = sealed.slice();
  badData[3] ^= 0x80;
  await assert.rejects(() => key.open(nonce(32), badTag, AAD), GcmAuthError);
  await assert.rejects(() => key.open(nonce(32), badData, AAD), GcmAuthError);
  await assert.rejects(
    () => key.open(nonce(32), sealed, new TextEncoder().encode("stringData:user:")),
    GcmAuthError,
  );
});

Deno.test("12-byte nonces use Web Crypto's AES-GCM directly", async () => {
  const raw = crypto.getRandomValues(new Uint8Array(32));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ck = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt"]);
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: AAD },
      ck,
      new Uint8Array(5),
    ),
  );
  const key = await GcmKey.import(raw);
  assert.deepEqual(await key.open(iv, sealed, AAD), new Uint8Array(5));
  await assert.rejects(() => key.open(iv, sealed, new Uint8Array(0)), GcmAuthError);
});
