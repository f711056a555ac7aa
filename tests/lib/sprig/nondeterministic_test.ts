// Functions whose output depends on the clock or on randomness: checked by shape, and where Go
// can verify them (AES, bcrypt through Apache's htpasswd), by the real tools.
import assert from "node:assert/strict";
import nodeCrypto from "node:crypto";
import { Template } from "../../../lib/gotemplate/mod.ts";
import { sprigFuncs } from "../../../lib/sprig/mod.ts";
import { renderWithGo } from "../../support/gotemplate_oracle.ts";
import { tempDir } from "../../support/process.ts";

function render(text: string, data: unknown = {}): string {
  return new Template("t").funcs(sprigFuncs()).parse(text).execute(data);
}

Deno.test("now prints like Go's time.Time with a monotonic reading and formats with date", () => {
  assert.match(
    render("{{ now }}"),
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [+-]\d{4} \S+ m=\+\d+\.\d{9}$/,
  );
  assert.equal(render('{{ now | date "2006" }}'), String(new Date().getFullYear()));
  assert.equal(render("{{ ago now }}"), "0s");
  assert.equal(render("{{ typeOf now }}"), "time.Time");
  assert.match(render("{{ now | unixEpoch }}"), /^\d{10}$/);
  assert.match(render('{{ now | dateModify "-48h" | ago }}'), /^48h0m0s$/);
  assert.equal(render('{{ durationRound (now | dateModify "-49h") }}'), "2d");
});

Deno.test("uuidv4 and the random string functions have the right shape and alphabet", () => {
  assert.match(
    render("{{ uuidv4 }}"),
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
  assert.match(render("{{ randAlphaNum 64 }}"), /^[A-Za-z0-9]{64}$/);
  assert.match(render("{{ randAlpha 64 }}"), /^[A-Za-z]{64}$/);
  assert.match(render("{{ randNumeric 64 }}"), /^[0-9]{64}$/);
  assert.match(render("{{ randAscii 64 }}"), /^[\x20-\x7e]{64}$/);
  assert.notEqual(render("{{ randAlphaNum 32 }}"), render("{{ randAlphaNum 32 }}"));
  assert.equal(atob(render("{{ randBytes 24 }}")).length, 24);
  const n = Number(render("{{ randInt 10 20 }}"));
  assert.ok(n >= 10 && n < 20);
  assert.equal([...render('{{ shuffle "aabbcc" }}')].sort().join(""), "aabbcc");
});

Deno.test("encryptAES output is decrypted by Go's Sprig decryptAES", async () => {
  const secret = render('{{ encryptAES "my-key" "the plaintext, 33 bytes long!!!!" }}');
  const other = render('{{ encryptAES "my-key" "short" }}');
  const [a, b] = await renderWithGo([
    { template: `{{ decryptAES "my-key" "${secret}" }}` },
    { template: `{{ decryptAES "my-key" "${other}" }}` },
  ]);
  assert.deepEqual([a.output, b.output], ["the plaintext, 33 bytes long!!!!", "short"]);
  assert.equal(render(`{{ decryptAES "my-key" "${secret}" }}`), "the plaintext, 33 bytes long!!!!");
});

Deno.test("htpasswd writes bcrypt hashes Apache's htpasswd accepts", async () => {
  const line = render('{{ htpasswd "alice" "s3cret" }}');
  assert.match(line, /^alice:\$2a\$10\$[./A-Za-z0-9]{53}$/);
  assert.match(render('{{ bcrypt "x" }}'), /^\$2a\$10\$/);
  const dir = await tempDir();
  try {
    const file = `${dir.path}/htpasswd`;
    await Deno.writeTextFile(file, line + "\n");
    const ok = await new Deno.Command("htpasswd", {
      args: ["-vb", file, "alice", "s3cret"],
      stderr: "null",
    }).output();
    const bad = await new Deno.Command("htpasswd", {
      args: ["-vb", file, "alice", "nope"],
      stderr: "null",
    }).output();
    assert.equal(ok.code, 0);
    assert.notEqual(bad.code, 0);
  } finally {
    await dir.remove();
  }
});

Deno.test("genPrivateKey writes PEM keys in Go's encodings", () => {
  const ec = render('{{ genPrivateKey "ecdsa" }}');
  assert.match(ec, /^-----BEGIN EC PRIVATE KEY-----\n[\s\S]+-----END EC PRIVATE KEY-----\n$/);
  assert.equal(nodeCrypto.createPrivateKey(ec).asymmetricKeyType, "ec");
  const ed = render('{{ genPrivateKey "ed25519" }}');
  assert.match(ed, /^-----BEGIN PRIVATE KEY-----\n/);
  assert.equal(nodeCrypto.createPrivateKey(ed).asymmetricKeyType, "ed25519");
  assert.equal(render('{{ genPrivateKey "nope" }}'), "Unknown type nope");
});

Deno.test("genPrivateKey rsa makes a 4096-bit PKCS#1 key", () => {
  const pem = render('{{ genPrivateKey "rsa" }}');
  assert.match(pem, /^-----BEGIN RSA PRIVATE KEY-----\n/);
  const key = nodeCrypto.createPrivateKey(pem);
  assert.equal(key.asymmetricKeyDetails?.modulusLength, 4096);
});
