// Store details: dotenv, INI and JSON plaintext output, and how each store reads its input.
import assert from "node:assert/strict";
import { Decryptor } from "../../../lib/sops/mod.ts";
import { DotenvStore } from "../../../lib/sops/stores/dotenv.ts";
import { IniStore } from "../../../lib/sops/stores/ini.ts";
import { JsonStore } from "../../../lib/sops/stores/json.ts";
import { YamlStore } from "../../../lib/sops/stores/yaml.ts";
import { Branch, Comment, toPlain } from "../../../lib/sops/tree.ts";
import { CONFORMANCE_DIR, keyringFor } from "./conformance.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("dotenv: comments, values with = and \\n escapes round-trip; sops_ keys are metadata", () => {
  const store = new DotenvStore();
  const loaded = store.load(
    enc("#note\nA=x=y\nB=line1\\nline2\nsops_lastmodified=t\nsops_age__list_0__map_recipient=r\n"),
    "f.env",
  );
  assert.deepEqual(loaded.metadata, { lastmodified: "t", age: [{ recipient: "r" }] });
  assert.equal(dec(store.emit(loaded.branches)), "#note\nA=x=y\nB=line1\\nline2\n");
  assert.throws(
    () => store.load(enc("A=1\nsecret-without-equals\n"), "f.env"),
    /line 2: invalid dotenv line/,
  );
});

Deno.test("INI: DEFAULT keys, quoted and triple-quoted values, comments by section", () => {
  const store = new IniStore();
  const loaded = store.load(
    enc('top = 1\n; about s\n[s]\na = "quoted "\nb = """x\ny"""\nc = v ; inline\n'),
    "f.ini",
  );
  assert.deepEqual(toPlain(loaded.branches[0]), {
    DEFAULT: { top: "1" },
    s: { a: "quoted ", b: "x\ny", c: "v" },
  });
  const section = loaded.branches[0].items[1].value as Branch;
  assert.ok(section.items[0].key instanceof Comment);
  assert.equal(section.items[0].key.value, "about s");
  assert.equal(
    dec(store.emit(loaded.branches)),
    'top = 1\n\n; about s\n[s]\na = `quoted `\nb = """x\ny"""\nc = v\n; inline\n',
  );
});

Deno.test("JSON: key order survives, including integer-like keys", () => {
  const store = new JsonStore();
  const loaded = store.load(enc('{"b": 1, "10": "x", "2": [true, null, 1.5]}'), "f.json");
  assert.equal(
    dec(store.emit(loaded.branches)),
    '{\n\t"b": 1,\n\t"10": "x",\n\t"2": [\n\t\ttrue,\n\t\tnull,\n\t\t1.5\n\t]\n}\n',
  );
  assert.throws(
    () => store.load(enc('{"a": }'), "f.json"),
    /f\.json: invalid JSON: .* line 1, column 7/,
  );
});

Deno.test("YAML: comments are kept with their branch; anchors resolve; sequences at the root are refused", () => {
  const store = new YamlStore();
  const loaded = store.load(enc("# head\na: &x\n  b: 1 # tail\nc: *x\n"), "f.yaml");
  assert.deepEqual(toPlain(loaded.branches[0]), { a: { b: 1 }, c: { b: 1 } });
  const out = dec(store.emit(loaded.branches));
  assert.match(out, /# head\na:/);
  assert.throws(() => store.load(enc("- a\n"), "f.yaml"), /sequences are not supported/);
});

Deno.test("the INI example decrypts its encrypted section comment", async () => {
  const d = new Decryptor(await keyringFor(["getsops-sops/pgp/sops_functional_tests_key.asc"]));
  const out = dec(
    await d.decryptFile(await Deno.readFile(CONFORMANCE_DIR + "getsops-sops/example.ini"), "ini"),
  );
  assert.match(out, /^; An example file for use with sops!\n\[name\]\n/);
});

Deno.test("YAML: scalars are typed as yaml.v3 types them and strings are written back safely", () => {
  const store = new YamlStore();
  const loaded = store.load(
    enc("a: hello\n  world\nb: 0777\nc: !!str 0777\nd: '0777'\ne: 1_000\nf: on\n"),
    "f.yaml",
  );
  assert.deepEqual(toPlain(loaded.branches[0]), {
    a: "hello world",
    b: 511,
    c: "0777",
    d: "0777",
    e: 1000,
    f: "on",
  });
  assert.equal(
    dec(store.emit(loaded.branches)),
    'a: hello world\nb: 511\nc: "0777"\nd: "0777"\ne: 1000\nf: "on"\n',
  );
});
