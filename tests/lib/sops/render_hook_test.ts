// The renderer-facing hook: each file of Flux's decryption test tree decrypts by its role, to
// the values Flux's own test expects (../shared/conformance/sops/flux-expected.json).
import assert from "node:assert/strict";
import { decryptRenderedFile, type FileRole } from "../../../lib/sops/mod.ts";
import { parseAll } from "../../../lib/yaml/mod.ts";
import { CONFORMANCE_DIR, fluxDecryptor } from "./conformance.ts";

const TREE = "kustomize-controller/internal/controller/testdata/sops/";

async function decrypted(path: string, role: FileRole, key?: string): Promise<string> {
  const bytes = await Deno.readFile(CONFORMANCE_DIR + TREE + path);
  const out = await decryptRenderedFile(await fluxDecryptor(), bytes, { path, role, key });
  return new TextDecoder().decode(out);
}

Deno.test("generator env files decrypt as dotenv to Flux's expected values", async () => {
  for (const path of ["envs/env.env", "component/env.env", "remote/env.env"]) {
    assert.equal(await decrypted(path, "env"), "key=value\n");
  }
});

Deno.test("a generator files: source takes the store of its key (binary for `key`)", async () => {
  assert.equal(await decrypted("files/file.txt", "file", "key"), "value");
});

Deno.test("resources decrypt to the Secrets Flux's test expects", async () => {
  for (const name of ["age", "age-pq", "pgp", "vault"]) {
    const [doc] = parseAll(await decrypted(`algorithms/${name}.yaml`, "resource")) as Record<
      string,
      Record<string, string>
    >[];
    assert.equal(doc.stringData.key, "value", name);
    assert.equal(doc.sops, undefined);
  }
});

Deno.test("encrypted patches decrypt before they are applied", async () => {
  const [m1] = parseAll(await decrypted("patches/merge1.yaml", "patch")) as Record<
    string,
    unknown
  >[];
  const [m2] = parseAll(await decrypted("patches/merge2.yaml", "patch")) as Record<
    string,
    unknown
  >[];
  assert.deepEqual([m1.stringData, m2.stringData], [{ key: "merge1" }, { merge2: "merge2" }]);
});

Deno.test("kustomization files are never touched", async () => {
  const bytes = await Deno.readFile(CONFORMANCE_DIR + TREE + "kustomization.yaml");
  const out = await decryptRenderedFile(await fluxDecryptor(), bytes, {
    path: "kustomization.yaml",
    role: "other",
  });
  assert.equal(out, bytes);
});
