// Multi-document YAML files, single parsed documents, Flux's nested Secret data, and the
// renderer-facing details of the Decryptor (annotation, size limit, secret masking).
import assert from "node:assert/strict";
import { SecretRegistry } from "../../../lib/log/mod.ts";
import {
  DECRYPT_ANNOTATION,
  Decryptor,
  Keyring,
  SopsError,
  SopsMacError,
} from "../../../lib/sops/mod.ts";
import { parseAll } from "../../../lib/yaml/mod.ts";
import { CONFORMANCE_DIR } from "./conformance.ts";
import { encryptDocumentsLikeSops, encryptLikeSops } from "./sops_writer.ts";
import { rejectsWith } from "../../support/rejects.ts";

const KEYS = CONFORMANCE_DIR + "kustomize-controller/internal/controller/testdata/sops/keys/";
const RECIPIENT = "age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29";
const rule = { encrypted_regex: "^(data|stringData)$" };

const secret = (name: string, value: string) => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name },
  stringData: { password: value },
});

async function decryptor(options = {}): Promise<Decryptor> {
  const ring = await Keyring.fromKeyFile(await Deno.readTextFile(KEYS + "age.txt"), "age.txt");
  return new Decryptor(ring, options);
}

async function decryptYaml(text: string, d?: Decryptor): Promise<unknown[]> {
  const out = await (d ?? await decryptor()).decryptFile(new TextEncoder().encode(text), "yaml", {
    file: "secrets.yaml",
  });
  return parseAll(new TextDecoder().decode(out));
}

Deno.test("a multi-document file written by SOPS (one MAC over all documents) decrypts", async () => {
  const text = await encryptDocumentsLikeSops([secret("a", "one"), secret("b", "two")], {
    recipient: RECIPIENT,
    rule,
  });
  assert.deepEqual(await decryptYaml(text), [secret("a", "one"), secret("b", "two")]);
});

Deno.test("documents encrypted one by one and concatenated decrypt each on its own", async () => {
  const a = await encryptLikeSops(secret("a", "one"), { recipient: RECIPIENT, rule });
  const b = await encryptLikeSops(secret("b", "two"), { recipient: RECIPIENT, rule });
  const plainMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: v\n";
  const out = await decryptYaml([a, plainMap, b].join("---\n"));
  assert.deepEqual(out, [secret("a", "one"), parseAll(plainMap)[0], secret("b", "two")]);
});

Deno.test("in a concatenated file a tampered document fails, naming the document", async () => {
  const a = await encryptLikeSops(secret("a", "one"), { recipient: RECIPIENT, rule });
  const b = await encryptLikeSops(secret("b", "two"), { recipient: RECIPIENT, rule });
  const text = [a, b.replace("name: b", "name: x")].join("---\n");
  await rejectsWith(
    () => decryptYaml(text),
    SopsMacError,
    /^secrets\.yaml: document 2: MAC mismatch/,
  );
});

Deno.test("a file without SOPS metadata comes back unchanged (Flux), or is refused when required", async () => {
  const bytes = new TextEncoder().encode("a: 1\n");
  const d = await decryptor();
  assert.equal(await d.decryptFile(bytes, "yaml"), bytes);
  await assert.rejects(
    () => d.decryptFile(bytes, "yaml", { file: "plain.yaml", requireEncrypted: true }),
    (e: unknown) => e instanceof SopsError && e.reason === "not-encrypted",
  );
});

Deno.test("decryptDocument decrypts a parsed document and leaves others alone", async () => {
  const text = await encryptLikeSops(secret("a", "one"), { recipient: RECIPIENT, rule });
  const [doc] = parseAll(text) as Record<string, unknown>[];
  const d = await decryptor();
  assert.deepEqual(await d.decryptDocument(doc, { file: "a.yaml" }), secret("a", "one"));
  const plain = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } };
  assert.equal(await d.decryptDocument(plain), plain);
});

Deno.test("objects annotated decrypt: disabled are left encrypted", async () => {
  const text = await encryptLikeSops(secret("a", "one"), { recipient: RECIPIENT, rule });
  const [doc] = parseAll(text) as Record<string, Record<string, unknown>>[];
  doc.metadata.annotations = { [DECRYPT_ANNOTATION]: "Disabled" };
  assert.equal(await (await decryptor()).decryptDocument(doc), doc);
});

Deno.test("a Secret whose data value is a SOPS dotenv file is decrypted into that key's format", async () => {
  const env = await Deno.readFile(
    CONFORMANCE_DIR + "kustomize-controller/internal/controller/testdata/sops/envs/env.env",
  );
  const doc = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "s", namespace: "apps" },
    data: { "app.env": btoa(String.fromCharCode(...env)), other: "bm90LXNvcHM=" },
  };
  const out = await (await decryptor()).decryptDocument(doc, { file: "s.yaml" });
  const data = out.data as Record<string, string>;
  assert.equal(atob(data["app.env"]), "key=value\n");
  assert.equal(data.other, "bm90LXNvcHM=");
});

Deno.test("files over the size limit are refused before parsing", async () => {
  const d = await decryptor({ maxFileBytes: 10 });
  await assert.rejects(
    () =>
      d.decryptFile(new TextEncoder().encode("mac: ENC[ and more"), "yaml", { file: "big.yaml" }),
    /big\.yaml: file is 18 bytes, over the limit of 10/,
  );
});

Deno.test("decrypted values are registered for log masking", async () => {
  const secrets = new SecretRegistry();
  const text = await encryptLikeSops(secret("a", "correct-horse"), { recipient: RECIPIENT, rule });
  await decryptYaml(text, await decryptor({ secrets }));
  assert.equal(secrets.redact("password is correct-horse"), "password is *****");
});

Deno.test("keys are read from a Secret object as the API returns it", async () => {
  const ring = await Keyring.fromSecret({
    metadata: { name: "sops-age", namespace: "flux-system" },
    data: { "age.agekey": btoa(await Deno.readTextFile(KEYS + "age.txt")) },
  });
  assert.deepEqual(ring.describe(), [RECIPIENT]);
  await assert.rejects(
    () => Keyring.fromSecret({ metadata: { name: "k" }, data: { "x.agekey": "%%%" } }),
    /Secret k: key "x\.agekey": the data value is not valid base64/,
  );
});

Deno.test("non-string map keys are refused as SOPS refuses them", async () => {
  const text = await encryptLikeSops({ a: "b" }, {
    recipient: RECIPIENT,
    rule: { encrypted_suffix: "_x" },
  });
  await assert.rejects(() => decryptYaml("1: one\n" + text), /map key 1 is not a string/);
});
