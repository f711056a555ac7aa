// Keys come from a Flux decryption Secret: `.agekey` entries are age identities, `.asc`
// entries armored OpenPGP keys; Vault and cloud KMS credentials are refused as not supported.
import assert from "node:assert/strict";
import { Keyring, SopsKeyError, SopsUnsupportedError } from "../../../lib/sops/mod.ts";
import { parseMetadata } from "../../../lib/sops/metadata.ts";
import { CONFORMANCE_DIR } from "./conformance.ts";

const KEYS = CONFORMANCE_DIR + "kustomize-controller/internal/controller/testdata/sops/keys/";
const AGE = "age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29";

const base = { lastmodified: "2024-11-12T13:33:42Z", mac: "" };

Deno.test("a decryption Secret's .agekey and .asc entries become keys; other entries are ignored", async () => {
  const ring = await Keyring.fromSecretData({
    "age.agekey": await Deno.readFile(KEYS + "age.txt"),
    "pgp.asc": await Deno.readTextFile(KEYS + "pgp.asc"),
    "age.txt": "not a key, ignored as Flux ignores it",
    "sops.vault-token": "s.token",
  }, { source: "Secret flux-system/sops-keys" });
  assert.deepEqual(ring.describe(), [
    AGE,
    "pgp:35C1A64CD7FC0AB6EB66756B2445463C3234ECE1",
    "pgp:1594C5B7965AC8AD983BC8B0DD123898A16808CB",
  ]);
  assert.deepEqual(ring.unsupportedCredentials, [
    "sops.vault-token (HashiCorp Vault/OpenBao token)",
  ]);
});

Deno.test("the global age Secret contributes only .agekey entries", async () => {
  const ring = await Keyring.fromSecretData({
    "global.agekey": await Deno.readTextFile(KEYS + "age-global.txt"),
    "pgp.asc": await Deno.readTextFile(KEYS + "pgp.asc"),
  }, { source: "Secret flux-system/sops-age", ageOnly: true });
  assert.equal(ring.pgp.length, 0);
  assert.equal(ring.age.length, 1);
});

Deno.test("a post-quantum age identity is accepted", async () => {
  const ring = await Keyring.fromSecretData({
    "pq.agekey": await Deno.readTextFile(KEYS + "age-pq.txt"),
  }, { source: "test" });
  assert.match(ring.describe()[0], /^age1pq1/);
});

Deno.test("a malformed age entry is refused naming the entry and line, not its content", async () => {
  const secret = "AGE-SECRET-KEY-1NOTAREALKEY";
  await assert.rejects(
    () =>
      Keyring.fromSecretData({ "bad.agekey": `# comment\n${secret}\n` }, {
        source: "Secret apps/sops",
      }),
    (e: unknown) => {
      assert.ok(e instanceof SopsKeyError);
      assert.equal(e.entry, "bad.agekey");
      assert.match(e.message, /^Secret apps\/sops: key "bad\.agekey": line 2: /);
      assert.ok(!e.message.includes(secret));
      return true;
    },
  );
});

Deno.test("an .asc entry without a private key block is refused", async () => {
  await assert.rejects(
    () =>
      Keyring.fromSecretData({ "pub.asc": "-----BEGIN PGP PUBLIC KEY BLOCK-----\n" }, {
        source: "s",
      }),
    /no armored PGP private key block/,
  );
});

Deno.test("a file wrapped only for Vault is refused as not supported, naming the Secret's token", async () => {
  const ring = await Keyring.fromSecretData({ "sops.vault-token": "t" }, { source: "s" });
  const meta = parseMetadata({
    ...base,
    hc_vault: [{ vault_address: "https://vault:8200", key_name: "sops", enc: "vault:v1:x" }],
  }, "vault.yaml");
  await assert.rejects(() => ring.unwrapDataKey(meta, "vault.yaml"), (e: unknown) => {
    assert.ok(e instanceof SopsUnsupportedError);
    assert.equal(e.reason, "unsupported");
    assert.match(e.message, /^vault\.yaml: .*HashiCorp Vault\/OpenBao transit.*not supported/);
    assert.match(e.message, /sops\.vault-token/);
    return true;
  });
});

Deno.test("cloud KMS key types are each named as not supported", async () => {
  const ring = Keyring.empty();
  for (
    const [field, entry, label] of [
      ["kms", { arn: "arn:aws:kms:eu-west-1:1:key/k" }, "AWS KMS"],
      ["gcp_kms", { resource_id: "projects/p/locations/l/keyRings/r/cryptoKeys/k" }, "GCP KMS"],
      ["azure_kv", { vault_url: "https://v.vault.azure.net", name: "k" }, "Azure Key Vault"],
    ] as const
  ) {
    const meta = parseMetadata({ ...base, [field]: [{ ...entry, enc: "x" }] }, "f");
    await assert.rejects(
      () => ring.unwrapDataKey(meta, "f"),
      new RegExp(`${label}.*not supported`),
    );
  }
});

Deno.test("Shamir key groups are refused as not supported", async () => {
  const meta = parseMetadata({
    ...base,
    key_groups: [{ age: [{ recipient: AGE, enc: "x" }] }, { age: [{ recipient: AGE, enc: "y" }] }],
    shamir_threshold: 2,
  }, "f");
  await assert.rejects(() => Keyring.empty().unwrapDataKey(meta, "f"), SopsUnsupportedError);
});
