// Debian's `age` CLI is the reference for age: identities made by `age-keygen` work in skiff, a
// data key wrapped by `age` unwraps in skiff (and decrypts a real SOPS file), and a data key
// wrapped by skiff unwraps with `age -d`.
import assert from "node:assert/strict";
import { ageWrap, Decryptor, Keyring } from "../../../lib/sops/mod.ts";
import { parseMetadata } from "../../../lib/sops/metadata.ts";
import { parseAll, YAML } from "../../../lib/yaml/mod.ts";
import { tempDir } from "../../support/process.ts";
import { CONFORMANCE_DIR, keyringFor } from "./conformance.ts";

const FLUX = "kustomize-controller/internal/controller/testdata/sops/";

async function run(cmd: string, args: string[], stdin?: Uint8Array): Promise<Uint8Array> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin) {
    const w = child.stdin.getWriter();
    await w.write(stdin);
    await w.close();
  }
  const out = await child.output();
  if (!out.success) throw new Error(`${cmd} failed: ${new TextDecoder().decode(out.stderr)}`);
  return out.stdout;
}

async function keygen(dir: string): Promise<{ file: string; recipient: string; text: string }> {
  const file = `${dir}/key-${crypto.randomUUID()}.txt`;
  await run("age-keygen", ["-o", file]);
  const recipient = new TextDecoder().decode(await run("age-keygen", ["-y", file])).trim();
  return { file, recipient, text: await Deno.readTextFile(file) };
}

/** The data key of the Flux age fixture, recovered with its published key. */
async function fixtureDataKey(): Promise<{ text: string; dataKey: Uint8Array }> {
  const text = await Deno.readTextFile(CONFORMANCE_DIR + FLUX + "algorithms/age.yaml");
  const [doc] = parseAll(text) as Record<string, unknown>[];
  const ring = await keyringFor([FLUX + "keys/age.txt"]);
  return {
    text,
    dataKey: await ring.unwrapDataKey(parseMetadata(doc.sops, "age.yaml"), "age.yaml"),
  };
}

/** A test in a fresh temp dir that runs the age CLI (child processes upset the sanitizers). */
function ageTest(name: string, fn: (dir: string) => Promise<void>): void {
  Deno.test({
    name,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async () => {
      const dir = await tempDir("skiff-sops-age-");
      try {
        await fn(dir.path);
      } finally {
        await dir.remove();
      }
    },
  });
}

ageTest(
  "a data key wrapped by the age CLI for an age-keygen identity decrypts a SOPS file",
  async (dir) => {
    const id = await keygen(dir);
    const { text, dataKey } = await fixtureDataKey();
    const wrapped = new TextDecoder().decode(
      await run("age", ["--encrypt", "--armor", "-r", id.recipient], dataKey),
    );
    // Re-point the file's age stanza at the new recipient; the MAC does not cover stanzas.
    const doc = YAML.parseDocument(text);
    doc.setIn(["sops", "age", 0, "recipient"], id.recipient);
    doc.setIn(["sops", "age", 0, "enc"], wrapped);
    const ring = await Keyring.fromSecretData({ "new.agekey": id.text }, { source: "test" });
    const out = await new Decryptor(ring).decryptFile(
      new TextEncoder().encode(doc.toString()),
      "yaml",
      { file: "age.yaml", requireEncrypted: true },
    );
    const [plain] = parseAll(new TextDecoder().decode(out)) as Record<string, unknown>[];
    assert.deepEqual(plain.stringData, { key: "value" });
  },
);

ageTest("a data key wrapped by skiff unwraps with age -d", async (dir) => {
  const id = await keygen(dir);
  const dataKey = crypto.getRandomValues(new Uint8Array(32));
  const armored = await ageWrap([id.recipient], dataKey);
  assert.match(armored, /^-----BEGIN AGE ENCRYPTED FILE-----/);
  const out = await run("age", ["--decrypt", "-i", id.file], new TextEncoder().encode(armored));
  assert.deepEqual(out, dataKey);
});

ageTest(
  "age-keygen identity files with several identities and comments are read whole",
  async (dir) => {
    const a = await keygen(dir);
    const b = await keygen(dir);
    const ring = await Keyring.fromKeyFile(a.text + "\n" + b.text, "keys.txt");
    assert.deepEqual(ring.describe(), [a.recipient, b.recipient]);
  },
);
