// The encryption rules without public fixtures: encrypted_suffix, unencrypted_regex and
// mac_only_encrypted, on files written by a small SOPS-compatible test encryptor.
import assert from "node:assert/strict";
import { Decryptor, Keyring, SopsMacError } from "../../../lib/sops/mod.ts";
import { goFormatFloat } from "../../../lib/sops/go_strconv.ts";
import { resolvePlainScalar } from "../../../lib/sops/stores/yaml_scalar.ts";
import { parseAll } from "../../../lib/yaml/mod.ts";
import { CONFORMANCE_DIR } from "./conformance.ts";
import { encryptLikeSops } from "./sops_writer.ts";

const KEY = CONFORMANCE_DIR + "kustomize-controller/internal/controller/testdata/sops/keys/age.txt";
const RECIPIENT = "age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29";

const plain = {
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name: "db", labels: { tier: "backend" } },
  stringData: { password_secret: "hunter2", user: "admin", port_secret: 5432 },
  list_secret: ["a", "b"],
};

async function roundTrip(text: string): Promise<Record<string, unknown>> {
  const ring = await Keyring.fromKeyFile(await Deno.readTextFile(KEY), "age.txt");
  const out = await new Decryptor(ring).decryptFile(new TextEncoder().encode(text), "yaml", {
    file: "rules.yaml",
    requireEncrypted: true,
  });
  return parseAll(new TextDecoder().decode(out))[0] as Record<string, unknown>;
}

for (
  const rule of [
    { encrypted_suffix: "_secret" } as Record<string, string>,
    { unencrypted_regex: "^(apiVersion|kind|metadata)$" },
    { encrypted_regex: "_secret$" },
    { unencrypted_suffix: "_unencrypted" },
  ]
) {
  for (const macOnlyEncrypted of [false, true]) {
    const name = `${Object.keys(rule)[0]}${macOnlyEncrypted ? " with mac_only_encrypted" : ""}`;
    Deno.test(`${name}: decrypts exactly what was encrypted`, async () => {
      const text = await encryptLikeSops(plain, { recipient: RECIPIENT, rule, macOnlyEncrypted });
      assert.deepEqual(await roundTrip(text), plain);
    });
  }
}

Deno.test("encrypted_suffix leaves other values in clear text, still under the MAC", async () => {
  const text = await encryptLikeSops(plain, {
    recipient: RECIPIENT,
    rule: { encrypted_suffix: "_secret" },
  });
  assert.match(text, /user: admin/);
  assert.doesNotMatch(text, /hunter2/);
  await assert.rejects(() => roundTrip(text.replace("user: admin", "user: root")), SopsMacError);
});

Deno.test("mac_only_encrypted lets clear-text values change without a MAC failure", async () => {
  const text = await encryptLikeSops(plain, {
    recipient: RECIPIENT,
    rule: { encrypted_suffix: "_secret" },
    macOnlyEncrypted: true,
  });
  const out = await roundTrip(text.replace("user: admin", "user: root"));
  assert.deepEqual(out.stringData, { password_secret: "hunter2", user: "root", port_secret: 5432 });
  // Dropping the flag changes the MAC's prefix, so the file no longer verifies.
  await assert.rejects(() => roundTrip(text.replace("mac_only_encrypted: true", "")), SopsMacError);
});

Deno.test("plain YAML scalars resolve as yaml.v3 does (the MAC hashes them typed)", () => {
  assert.equal(resolvePlainScalar("0777"), 511);
  assert.equal(resolvePlainScalar("0x1F"), 31);
  assert.equal(resolvePlainScalar("1_000"), 1000);
  assert.equal(resolvePlainScalar("08"), 8);
  assert.equal(resolvePlainScalar("yes"), "yes");
  assert.equal(resolvePlainScalar("True"), true);
  assert.equal(resolvePlainScalar("~"), null);
  assert.equal(resolvePlainScalar("2024-01-02"), "2024-01-02");
  assert.equal(resolvePlainScalar("1e3"), 1000);
  assert.equal(resolvePlainScalar(".5"), 0.5);
});

Deno.test("numbers are hashed as Go's FormatFloat(f, 'f', -1) prints them", () => {
  assert.equal(goFormatFloat(1234568000), "1234568000");
  assert.equal(goFormatFloat(25.4), "25.4");
  assert.equal(goFormatFloat(1e21), "1000000000000000000000");
  assert.equal(goFormatFloat(1.5e-7), "0.00000015");
  assert.equal(goFormatFloat(-0), "-0");
  assert.equal(goFormatFloat(Infinity), "+Inf");
});
