// Hostile YAML: bombs, huge files, deep nesting, duplicate keys and invalid bytes fail fast with
// an error naming the file, document and position, in lib/yaml and in a Kustomize build reading
// an untrusted repository.
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseAll, parseDocuments, readTextStrict, YamlError } from "../../lib/yaml/mod.ts";
import { buildKustomization, KustomizeError } from "../../lib/kustomize/mod.ts";
import { recordScenario } from "./record.ts";
import { rejectsWith } from "../support/rejects.ts";
import { configMap, withTree } from "./tree.ts";

/** The "billion laughs" document: 9 levels of 9 aliases each, 387 million nodes if expanded. */
function aliasBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(",")}]`);
  }
  return lines.join("\n") + "\n";
}

async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

Deno.test("a YAML alias bomb is refused quickly, naming file and document", async () => {
  const { value: error, ms } = await timed(() =>
    rejectsWith(
      () => parseAll("kind: ok\n---\n" + aliasBomb(), { file: "bomb.yaml" }),
      YamlError,
      "bomb.yaml: document 2",
      "too many aliases",
    )
  );
  assert.equal((error as YamlError).documentIndex, 1);
  assert.ok(ms < 2000, `took ${ms} ms`);
  await recordScenario("yaml-alias-bomb", { faultsInjected: 1, note: `${Math.round(ms)} ms` });
});

Deno.test("a 100 MB file is refused by its size before it is read", async () => {
  await withTree({}, async (dir) => {
    const path = join(dir, "huge.yaml");
    const file = await Deno.open(path, { write: true, create: true });
    await file.truncate(100 * 1024 * 1024); // sparse: the size is what matters
    file.close();
    const { ms } = await timed(() =>
      rejectsWith(readTextStrict(path), YamlError, "huge.yaml", "100.0 MiB, over the limit")
    );
    assert.ok(ms < 1000, `took ${ms} ms`);
    // The same text handed over in memory is refused too.
    await rejectsWith(
      () => parseDocuments("a: b\n".repeat(20 * 1024 * 1024), { file: "mem.yaml" }),
      YamlError,
      "mem.yaml",
      "over the limit",
    );
  });
  await recordScenario("yaml-huge-file", { faultsInjected: 2 });
});

Deno.test("a document nested 100,000 levels deep is an error, not a crash", async () => {
  for (const text of ["[".repeat(100_000), "a:\n" + "- ".repeat(100_000) + "x\n"]) {
    const docs = parseDocuments(text, { file: "deep.yaml" });
    const errors = docs.flatMap((d) => d.errors);
    assert.ok(errors.length > 0, "a deep document must not parse silently");
    assert.ok(errors.every((e) => e instanceof YamlError && e.file === "deep.yaml"));
  }
  await rejectsWith(
    () => parseAll("{".repeat(100_000), { file: "deep.yaml" }),
    YamlError,
    "deep.yaml: document 1",
  );
  await recordScenario("yaml-deep-nesting", { faultsInjected: 3 });
});

Deno.test("duplicate keys are an error with line and column", async () => {
  const error = await rejectsWith(
    () => parseAll("a: 1\nb: 2\na: 3\n", { file: "dup.yaml" }),
    YamlError,
    "dup.yaml: document 1: line 3",
    "duplicate key",
  );
  assert.equal((error as YamlError).position?.line, 3);
  await recordScenario("yaml-duplicate-keys", { faultsInjected: 1 });
});

Deno.test("non-UTF-8 bytes are refused, not decoded into replacement characters", async () => {
  await withTree(
    { "latin1.yaml": new Uint8Array([0x61, 0x3a, 0x20, 0xe9, 0xff, 0x0a]) },
    (dir) =>
      rejectsWith(
        readTextStrict(join(dir, "latin1.yaml")),
        YamlError,
        "latin1.yaml",
        "not valid UTF-8",
      ),
  );
  await recordScenario("yaml-non-utf8", { faultsInjected: 1 });
});

Deno.test("hostile YAML inside a repository fails the Kustomize build, naming the file", async () => {
  const cases: [string, string | Uint8Array, string][] = [
    ["bomb.yaml", aliasBomb(), "too many aliases"],
    ["dup.yaml", "apiVersion: v1\nkind: ConfigMap\nkind: Secret\n", "duplicate key"],
    ["bytes.yaml", new Uint8Array([0x6b, 0x3a, 0x20, 0xff, 0xfe, 0x0a]), "UTF-8"],
    ["deep.yaml", "[".repeat(50_000), ""],
  ];
  for (const [name, content, expected] of cases) {
    await withTree({
      "app/good.yaml": configMap("good"),
      [`app/${name}`]: content,
      "app/kustomization.yaml": `resources: [good.yaml, ${name}]\n`,
    }, async (root) => {
      const error = await rejectsWith(buildKustomization(root, "app"), KustomizeError, name);
      assert.ok(error.message.includes(expected), error.message);
    });
  }
  await recordScenario("yaml-in-repository", { faultsInjected: cases.length });
});
