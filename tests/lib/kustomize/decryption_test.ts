// SOPS decryption inside the Kustomize build: Flux's own decryption test tree renders to the
// values Flux's test checks (../shared/conformance/sops/flux-expected.json), and a wrong key or a
// tampered file fails the whole build, naming the file and the reason, never the plaintext.
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  buildFluxKustomization,
  buildKustomization,
  KustomizeDecryptionError,
} from "../../../lib/kustomize/mod.ts";
import { Decryptor, Keyring, SopsError } from "../../../lib/sops/mod.ts";
import { tempDir } from "../../support/process.ts";
import { fluxDecryptor } from "../sops/conformance.ts";
import { encryptLikeSops } from "../sops/sops_writer.ts";
import { writeTree } from "./tree.ts";
import {
  byKindAndName,
  FLUX_KEYS,
  FLUX_TREE,
  fluxExpected,
  offlineFluxTree,
  secretValues,
} from "./flux_sops_tree.ts";

/** The public key of keys/age.txt. */
const AGE_RECIPIENT = "age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29";
const PLAINTEXT = "pl41n-hunter2-do-not-print";

async function ageDecryptor(file = "age.txt"): Promise<Decryptor> {
  return new Decryptor(await Keyring.fromKeyFile(await Deno.readTextFile(FLUX_KEYS + file), file));
}

async function expectDecryptionError(
  build: Promise<unknown>,
  file: string,
  reason: string,
): Promise<KustomizeDecryptionError> {
  let caught: unknown;
  await build.then(
    (v) =>
      assert.fail(`the build returned ${JSON.stringify(v).slice(0, 80)}... instead of failing`),
    (e) => (caught = e),
  );
  assert.ok(caught instanceof KustomizeDecryptionError, String(caught));
  assert.equal(caught.file, file);
  assert.ok(caught.cause instanceof SopsError);
  assert.equal(caught.cause.reason, reason, caught.message);
  assert.ok(caught.message.startsWith(`${file}: `), caught.message);
  return caught;
}

Deno.test("Flux's decryption test tree builds to the values Flux's own test checks", async () => {
  const expected = await fluxExpected();
  const tmp = await tempDir("skiff-sops-kustomize-");
  try {
    await offlineFluxTree(tmp.path);
    const objects = await buildFluxKustomization(tmp.path, ".", {}, {
      decryptor: await fluxDecryptor(),
    });
    const found = byKindAndName(objects);
    for (const [name, values] of Object.entries(expected.secrets)) {
      const obj = found.get(`Secret/${name}`);
      assert.ok(obj, `Secret ${name} is built`);
      assert.deepEqual(secretValues(obj), values, `Secret ${name}`);
    }
    for (const [name, values] of Object.entries(expected.configMaps)) {
      const obj = found.get(`ConfigMap/${name}`);
      assert.ok(obj, `ConfigMap ${name} is built`);
      assert.deepEqual(obj.data, values, `ConfigMap ${name}`);
    }
    assert.equal(objects.length, 13);
    const text = JSON.stringify(objects);
    assert.ok(!text.includes("ENC["), "no encrypted value is left");
    assert.ok(objects.every((o) => o.sops === undefined), "no sops metadata is left");
  } finally {
    await tmp.remove();
  }
});

Deno.test("the controller-wide age key decrypts Flux's global tree", async () => {
  const expected = await fluxExpected();
  const ring = await Keyring.fromSecretData(
    { "age.agekey": await Deno.readTextFile(FLUX_KEYS + "age-global.txt") },
    { source: "Secret flux-system/sops-age", ageOnly: true },
  );
  const objects = await buildFluxKustomization(FLUX_TREE, "global", {}, {
    decryptor: new Decryptor(ring),
  });
  const found = byKindAndName(objects);
  for (const [name, values] of Object.entries(expected.global.secrets)) {
    assert.deepEqual(secretValues(found.get(`Secret/${name}`)!), values);
  }
});

Deno.test("without a decryptor SOPS files are built as they are written", async () => {
  const objects = await buildKustomization(FLUX_TREE, "algorithms");
  const age = byKindAndName(objects).get("Secret/algo-age")!;
  assert.match((age.stringData as Record<string, string>).key, /^ENC\[AES256_GCM,/);
  assert.ok(age.sops !== undefined);
});

Deno.test("a key that opens none of the files fails the build naming the first file", async () => {
  const error = await expectDecryptionError(
    buildKustomization(FLUX_TREE, "algorithms", {
      decryptor: await ageDecryptor("age-global.txt"),
    }),
    "algorithms/age.yaml",
    "no-key",
  );
  assert.match(error.message, /no matching key/);
});

Deno.test("an encrypted generator env file with the wrong key fails the build", async () => {
  await expectDecryptionError(
    buildKustomization(FLUX_TREE, "envs", { decryptor: await ageDecryptor("age-global.txt") }),
    "envs/env.env",
    "no-key",
  );
});

async function encryptedSecret(name: string): Promise<string> {
  return await encryptLikeSops({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name },
    stringData: { password: PLAINTEXT },
  }, { recipient: AGE_RECIPIENT, rule: { encrypted_regex: "^(data|stringData)$" } });
}

Deno.test("a resource is verified before namePrefix and namespace change it", async () => {
  const tmp = await tempDir("skiff-sops-kustomize-");
  try {
    await writeTree(tmp.path, {
      "base/kustomization.yaml": "resources: [secret.yaml]\n",
      "base/secret.yaml": await encryptedSecret("db"),
      "a/kustomization.yaml": "namePrefix: a-\nnamespace: apps\nresources: [../base]\n",
      "b/kustomization.yaml": "nameSuffix: -b\nresources: [../base]\n",
      "kustomization.yaml": "resources: [a, b]\n",
    });
    const objects = await buildKustomization(tmp.path, ".", { decryptor: await ageDecryptor() });
    assert.deepEqual(
      objects.map((o) => [o.metadata, o.stringData]),
      [
        [{ name: "a-db", namespace: "apps" }, { password: PLAINTEXT }],
        [{ name: "db-b" }, { password: PLAINTEXT }],
      ],
    );
  } finally {
    await tmp.remove();
  }
});

Deno.test("a tampered resource fails on its MAC without printing the plaintext", async () => {
  const tmp = await tempDir("skiff-sops-kustomize-");
  try {
    const sealed = await encryptedSecret("db");
    await writeTree(tmp.path, {
      "kustomization.yaml": "resources: [secrets/db.yaml]\n",
      // The name is in clear text but covered by the MAC.
      "secrets/db.yaml": sealed.replace("name: db", "name: admin"),
    });
    const error = await expectDecryptionError(
      buildKustomization(tmp.path, ".", { decryptor: await ageDecryptor() }),
      "secrets/db.yaml",
      "mac",
    );
    assert.match(error.message, /MAC mismatch/);
    assert.ok(!error.message.includes(PLAINTEXT), error.message);
    assert.ok(!String(error.cause).includes(PLAINTEXT));
  } finally {
    await tmp.remove();
  }
});

Deno.test("a tampered encrypted patch and generator env file fail the build", async () => {
  const tmp = await tempDir("skiff-sops-kustomize-");
  try {
    await offlineFluxTree(tmp.path);
    const patch = join(tmp.path, "patches/merge1.yaml");
    const text = await Deno.readTextFile(patch);
    await Deno.writeTextFile(patch, text.replace("name: secret", "name: other"));
    await expectDecryptionError(
      buildFluxKustomization(tmp.path, "patches", {}, { decryptor: await fluxDecryptor() }),
      "patches/merge1.yaml",
      "mac",
    );
    const env = join(tmp.path, "envs/env.env");
    const lines = await Deno.readTextFile(env);
    // The MAC is sealed with the modification time as its additional data.
    await Deno.writeTextFile(
      env,
      lines.replace(/sops_lastmodified=\S+/, "sops_lastmodified=2000-01-01T00:00:00Z"),
    );
    await expectDecryptionError(
      buildFluxKustomization(tmp.path, "envs", {}, { decryptor: await fluxDecryptor() }),
      "envs/env.env",
      "mac",
    );
  } finally {
    await tmp.remove();
  }
});

Deno.test("a SOPS resource annotated decrypt: disabled is kept as written", async () => {
  const tmp = await tempDir("skiff-sops-kustomize-");
  try {
    const sealed = await encryptLikeSops({
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: "kept",
        annotations: { "kustomize.toolkit.fluxcd.io/decrypt": "disabled" },
      },
      stringData: { password: PLAINTEXT },
    }, { recipient: AGE_RECIPIENT, rule: { encrypted_regex: "^(data|stringData)$" } });
    await writeTree(tmp.path, {
      "kustomization.yaml": "resources: [kept.yaml]\n",
      "kept.yaml": sealed,
    });
    const [obj] = await buildKustomization(tmp.path, ".", { decryptor: await ageDecryptor() });
    assert.match((obj.stringData as Record<string, string>).password, /^ENC\[/);
    assert.ok(obj.sops !== undefined);
  } finally {
    await tmp.remove();
  }
});

Deno.test("a SOPS file nested in a Secret's data fails with the object and key named", async () => {
  const error = await expectDecryptionError(
    buildKustomization(FLUX_TREE, "inside", { decryptor: await ageDecryptor("age-global.txt") }),
    "inside/secret.yaml",
    "no-key",
  );
  assert.match(error.message, /Secret inside-secret: data\.key: /);
});

Deno.test("an encrypted document beside plain ones in one file is decrypted alone", async () => {
  const tmp = await tempDir("skiff-sops-kustomize-");
  try {
    const plain = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n";
    await writeTree(tmp.path, {
      "kustomization.yaml": "namePrefix: x-\nresources: [all.yaml]\n",
      "all.yaml": `${plain}---\n${await encryptedSecret("db")}`,
    });
    const objects = await buildKustomization(tmp.path, ".", { decryptor: await ageDecryptor() });
    assert.deepEqual(objects.map((o) => [o.kind, o.data ?? o.stringData]), [
      ["ConfigMap", { a: "b" }],
      ["Secret", { password: PLAINTEXT }],
    ]);
  } finally {
    await tmp.remove();
  }
});
