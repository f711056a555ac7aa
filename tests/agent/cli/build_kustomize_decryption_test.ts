// `skiff build kustomize DIR --decryption-key FILE` on a copy of Flux's SOPS decryption test
// tree: as a user runs it (a subprocess, its exit code and output), and its failures in-process.
import assert from "node:assert/strict";
import {
  buildKustomizeCommand,
  type BuildKustomizeOptions,
} from "../../../agent/cli/build_kustomize.ts";
import { parseAll } from "../../../lib/yaml/mod.ts";
import type { KubeObject } from "../../../lib/kustomize/mod.ts";
import { tempDir } from "../../support/process.ts";
import {
  byKindAndName,
  FLUX_KEYS,
  fluxExpected,
  offlineFluxTree,
  secretValues,
} from "../../lib/kustomize/flux_sops_tree.ts";

const repo = new URL("../../../", import.meta.url).pathname;

async function skiff(...args: string[]) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", "main.ts", ...args],
    cwd: repo,
    env: { NO_COLOR: "1" },
    stdin: "null",
  }).output();
  const text = new TextDecoder();
  return { code, stdout: text.decode(stdout), stderr: text.decode(stderr) };
}

Deno.test("skiff build kustomize --decryption-key prints the decrypted build", async () => {
  const tmp = await tempDir("skiff-cli-sops-");
  try {
    await offlineFluxTree(tmp.path);
    const keys = ["age.txt", "pgp.asc", "age-pq.txt"].flatMap((f) => [
      "--decryption-key",
      FLUX_KEYS + f,
    ]);
    const r = await skiff("build", "kustomize", tmp.path, "--root", tmp.path, ...keys);
    assert.equal(r.stderr, "");
    assert.equal(r.code, 0);
    const found = byKindAndName(parseAll(r.stdout) as KubeObject[]);
    const expected = await fluxExpected();
    for (const [name, values] of Object.entries(expected.secrets)) {
      assert.deepEqual(secretValues(found.get(`Secret/${name}`)!), values, name);
    }
    for (const [name, values] of Object.entries(expected.configMaps)) {
      assert.deepEqual(found.get(`ConfigMap/${name}`)!.data, values, name);
    }
    assert.ok(!r.stdout.includes("ENC["));
  } finally {
    await tmp.remove();
  }
});

/** Runs the command in this process, collecting what it prints on stderr. */
async function buildCapturingErrors(
  dir: string,
  options: BuildKustomizeOptions,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const originalError = console.error;
  const errors: string[] = [];
  console.error = (...args: unknown[]) => errors.push(args.join(" "));
  let stdout = "";
  try {
    const code = await buildKustomizeCommand(dir, { ...options, write: (t) => (stdout += t) });
    return { code, stdout, stderr: errors.join("\n") };
  } finally {
    console.error = originalError;
  }
}

Deno.test("skiff build kustomize exits 1 naming the file a wrong key cannot open", async () => {
  const tmp = await tempDir("skiff-cli-sops-");
  try {
    await offlineFluxTree(tmp.path);
    const r = await buildCapturingErrors(`${tmp.path}/envs`, {
      root: tmp.path,
      decryptionKeys: [FLUX_KEYS + "age-global.txt"],
    });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /envs\/env\.env: cannot decrypt the data key: no matching key/);
    assert.ok(!r.stderr.includes("key=value"));
  } finally {
    await tmp.remove();
  }
});

Deno.test("skiff build kustomize exits 2 when a key file cannot be used", async () => {
  const tmp = await tempDir("skiff-cli-sops-");
  try {
    await Deno.writeTextFile(`${tmp.path}/kustomization.yaml`, "resources: []\n");
    await Deno.writeTextFile(`${tmp.path}/bad.txt`, "not a key\n");
    const missing = await buildCapturingErrors(tmp.path, {
      root: tmp.path,
      decryptionKeys: [`${tmp.path}/nope.txt`],
    });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--decryption-key .*nope\.txt: no such file/);
    const bad = await buildCapturingErrors(tmp.path, {
      root: tmp.path,
      decryptionKeys: [`${tmp.path}/bad.txt`],
    });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--decryption-key .*bad\.txt: /);
  } finally {
    await tmp.remove();
  }
});
