import assert from "node:assert/strict";
import { applySetters, SetterError, type SetterPolicy } from "../../../lib/images/mod.ts";
import { tempDir } from "../../support/process.ts";

const POLICY: SetterPolicy = {
  namespace: "apps",
  name: "web",
  latestImage: "ghcr.io/acme/web:1.10",
};

async function run(files: Record<string, string>, policies = [POLICY], path?: string) {
  const dir = await tempDir();
  try {
    for (const [name, text] of Object.entries(files)) {
      await Deno.mkdir(`${dir.path}/${name}`.replace(/\/[^/]*$/, ""), { recursive: true });
      await Deno.writeTextFile(`${dir.path}/${name}`, text);
    }
    const result = await applySetters(dir.path, policies, { path });
    const after: Record<string, string> = {};
    for (const name of Object.keys(files)) {
      after[name] = await Deno.readTextFile(`${dir.path}/${name}`);
    }
    return { result, after };
  } finally {
    await dir.remove();
  }
}

Deno.test("keeps CRLF line endings, comments, quoting and other documents byte for byte", async () => {
  const text = [
    "# leading comment",
    "apiVersion: v1",
    "kind: Pod",
    "metadata: {name: p, namespace: ns}   # flow map stays",
    "spec:",
    "  containers:",
    "    - name: a",
    `      image: 'ghcr.io/acme/web:1.0' # {"$imagepolicy": "apps:web"}`,
    "    - name: b",
    `      image: "ghcr.io/acme/web:1.0"   #   {"$imagepolicy": "apps:web"}`,
    "---",
    "# second document untouched",
    "values:",
    `  tag: "1.0" # {"$imagepolicy": "apps:web:tag"}`,
    `  repo: acme # {"$imagepolicy": "apps:web:name"}`,
    "",
  ].join("\r\n");
  const { after, result } = await run({ "pod.yaml": text });
  const expected = text
    .replace(`'ghcr.io/acme/web:1.0'`, `'ghcr.io/acme/web:1.10'`)
    .replace(`"ghcr.io/acme/web:1.0"`, `"ghcr.io/acme/web:1.10"`)
    .replace(`"1.0"`, `"1.10"`)
    .replace("repo: acme", "repo: ghcr.io/acme/web");
  assert.equal(after["pod.yaml"], expected);
  assert.equal(result.changes.length, 4);
  assert.deepEqual(result.changes[0].object, {
    apiVersion: "v1",
    kind: "Pod",
    name: "p",
    namespace: "ns",
  });
});

Deno.test("quotes a plain tag that YAML 1.1 would read as a number, as kyaml does", async () => {
  const { after } = await run({
    "values.yaml": `image:\n  tag: v1 # {"$imagepolicy": "apps:web:tag"}\n`,
  });
  assert.equal(after["values.yaml"], `image:\n  tag: "1.10" # {"$imagepolicy": "apps:web:tag"}\n`);
});

Deno.test("updates scalar items of a sequence; a marker after a whole flow collection names no scalar", async () => {
  const { after } = await run({
    "list.yaml": [
      "images:",
      `- ghcr.io/acme/web:1.0 # {"$imagepolicy": "apps:web"}`,
      `inline: {image: old, tag: x} # {"$imagepolicy": "apps:web"}`,
      "",
    ].join("\n"),
  });
  assert.equal(
    after["list.yaml"],
    [
      "images:",
      `- ghcr.io/acme/web:1.10 # {"$imagepolicy": "apps:web"}`,
      `inline: {image: old, tag: x} # {"$imagepolicy": "apps:web"}`,
      "",
    ].join("\n"),
  );
});

Deno.test("ignores markers in block scalars, other namespaces, unknown policies and non-JSON comments", async () => {
  const text = [
    "a: |",
    `  image: x # {"$imagepolicy": "apps:web"}`,
    `b: x # {"$imagepolicy": "other:web"}`,
    `c: x # {"$imagepolicy": "apps:nope"}`,
    `d: x # {"$imagepolicy": "apps:web"} trailing words`,
    "",
  ].join("\n");
  const { after, result } = await run({ "f.yaml": text });
  assert.equal(after["f.yaml"], text);
  assert.deepEqual(result.changes, []);
});

Deno.test("leaves files alone when the value is already current, and does not rewrite them", async () => {
  const dir = await tempDir();
  try {
    const file = `${dir.path}/d.yaml`;
    await Deno.writeTextFile(file, `image: ghcr.io/acme/web:1.10 # {"$imagepolicy": "apps:web"}\n`);
    const before = (await Deno.stat(file)).mtime;
    await new Promise((r) => setTimeout(r, 20));
    const result = await applySetters(dir.path, [POLICY]);
    assert.deepEqual(result.changes, []);
    assert.deepEqual((await Deno.stat(file)).mtime, before);
  } finally {
    await dir.remove();
  }
});

Deno.test("reports invalid YAML carrying a marker as a problem file and goes on", async () => {
  const { result, after } = await run({
    "a-bad.yaml": `image: [unclosed # {"$imagepolicy": "apps:web"}\n`,
    "b-good.yml": `image: old # {"$imagepolicy": "apps:web"}\n`,
  });
  assert.equal(result.problemFiles.length, 1);
  assert.equal(result.problemFiles[0].file, "a-bad.yaml");
  assert.equal(
    after["b-good.yml"],
    `image: ghcr.io/acme/web:1.10 # {"$imagepolicy": "apps:web"}\n`,
  );
});

Deno.test("skips files that are not YAML by name, and refuses an update path outside the tree", async () => {
  const { result } = await run({ "notes.txt": `image: old # {"$imagepolicy": "apps:web"}\n` });
  assert.deepEqual(result.changes, []);
  await assert.rejects(() => run({ "a.yaml": "a: 1\n" }, [POLICY], "../elsewhere"), SetterError);
  await assert.rejects(() => run({ "a.yaml": "a: 1\n" }, [POLICY], "./missing"), SetterError);
});

Deno.test("a policy whose latest image is not a reference is an error naming the policy", async () => {
  await assert.rejects(
    () => run({ "a.yaml": "a: 1\n" }, [{ namespace: "apps", name: "web", latestImage: "Bad Ref" }]),
    /ImagePolicy apps\/web: latest image "Bad Ref"/,
  );
});

Deno.test("a file that is not UTF-8 is a problem file, not the end of the run", async () => {
  const dir = await tempDir();
  try {
    await Deno.writeFile(`${dir.path}/a.yaml`, new Uint8Array([0xff, 0xfe, 0x00, 0x41]));
    await Deno.writeTextFile(`${dir.path}/b.yaml`, `image: old # {"$imagepolicy": "apps:web"}\n`);
    const result = await applySetters(dir.path, [POLICY]);
    assert.deepEqual(result.problemFiles, [{
      file: "a.yaml",
      reason: "file is not valid UTF-8 text",
    }]);
    assert.equal(result.changes.length, 1);
  } finally {
    await dir.remove();
  }
});
