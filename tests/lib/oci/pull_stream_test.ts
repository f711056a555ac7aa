// The layer is unpacked as it streams in: what that must not change (the kept files, the
// artifact digest) and what it must guarantee (nothing half-written survives a failure).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  FLUX_CONFIG_MEDIA_TYPE,
  FLUX_CONTENT_MEDIA_TYPE,
  keptFiles,
  OciError,
  pullOciArtifact,
} from "../../../lib/oci/mod.ts";
import { pushArtifact, startRegistry, type TestRegistry } from "../../support/registry.ts";
import { type TarEntry, tgz } from "../../support/tar_writer.ts";
import { tempDir } from "../../support/process.ts";

const plain = { insecure: true };
const enc = new TextEncoder();

async function pushLayer(registry: TestRegistry, repo: string, tag: string, entries: TarEntry[]) {
  await pushArtifact(registry, repo, [tag], {
    configMediaType: FLUX_CONFIG_MEDIA_TYPE,
    config: enc.encode("{}"),
    layers: [{
      mediaType: FLUX_CONTENT_MEDIA_TYPE,
      bytes: await tgz(entries) as Uint8Array<ArrayBuffer>,
    }],
  });
}

/** The artifact digest's formula, written out independently of lib/oci. */
function expectedDigest(files: Record<string, string>): string {
  const hash = createHash("sha256");
  for (const name of Object.keys(files).sort()) {
    const data = enc.encode(files[name]);
    const sha = createHash("sha256").update(data).digest("hex");
    hash.update(`${name}\x00100644\x00${data.length}\x00${sha}\n`);
  }
  return `sha256:${hash.digest("hex")}`;
}

async function filesBelow(dir: string, prefix = ""): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory) {
      Object.assign(out, await filesBelow(`${dir}/${e.name}`, `${prefix}${e.name}/`));
    } else out[`${prefix}${e.name}`] = await Deno.readTextFile(`${dir}/${e.name}`);
  }
  return out;
}

Deno.test("a .sourceignore hides files that came before it; the digest is the artifact formula", async () => {
  const registry = await startRegistry();
  const dir = await tempDir("skiff-oci-stream-");
  try {
    const entries: TarEntry[] = [
      { name: "./app/deploy.yaml", data: "kind: Deployment\n" },
      { name: "./app/secret/key.yaml", data: "kind: Secret\n" },
      { name: "./logo.png", data: "png" }, // one of Flux's default exclusions
      { name: "./app/.sourceignore", data: "secret/\n" },
      { name: "./dup.yaml", data: "first\n" },
      { name: "./dup.yaml", data: "second\n" },
    ];
    await pushLayer(registry, "app", "v1", entries);
    const artifact = await pullOciArtifact(
      { url: `oci://${registry.host}/app`, ref: { tag: "v1" } },
      `${dir.path}/cache`,
      { key: "OCIRepository/ns/app", registry: plain },
    );
    const expected = {
      "app/.sourceignore": "secret/\n",
      "app/deploy.yaml": "kind: Deployment\n",
      "dup.yaml": "second\n",
    };
    // Also what the whole-layer rule keeps (the last of two same-named files wins on disk).
    const wholeLayer = keptFiles(
      entries.map((e) => ({ name: e.name.slice(2), data: enc.encode(String(e.data)) })),
      undefined,
    ).map((f) => f.name);
    assert.deepEqual([...new Set(wholeLayer)].sort(), Object.keys(expected));
    assert.deepEqual(await filesBelow(artifact.dir), expected);
    // The ignored directory is gone, not left empty.
    await assert.rejects(Deno.stat(`${artifact.dir}/app/secret`), Deno.errors.NotFound);
    assert.equal(artifact.digest, expectedDigest(expected));
    assert.equal(artifact.files, 3);
    assert.equal(artifact.size, 17 + 8 + 7);
  } finally {
    await registry.stop();
    await dir.remove();
  }
});

Deno.test("a layer refused halfway leaves the last good artifact and no staging directory", async () => {
  const registry = await startRegistry();
  const dir = await tempDir("skiff-oci-stream-");
  try {
    await pushLayer(registry, "app", "v1", [{ name: "a.yaml", data: "v: 1\n" }]);
    // A good file first, so the staging directory has something in it when the refusal comes.
    await pushLayer(registry, "app", "v2", [
      { name: "a.yaml", data: "v: 2\n" },
      { name: "../escape.yaml", data: "x" },
    ]);
    const url = `oci://${registry.host}/app`;
    const options = { key: "OCIRepository/ns/app", registry: plain };
    const good = await pullOciArtifact({ url, ref: { tag: "v1" } }, `${dir.path}/cache`, options);
    const error = await pullOciArtifact({ url, ref: { tag: "v2" } }, `${dir.path}/cache`, options)
      .then(() => undefined, (e) => e);
    assert.ok(error instanceof OciError && error.reason === "Archive", String(error));
    assert.match(error.message, /parent directory/);
    assert.equal(error.lastArtifact?.dir, good.dir);
    const root = good.dir.slice(0, good.dir.lastIndexOf("/"));
    const left = (await Array.fromAsync(Deno.readDir(root))).map((e) => e.name).sort();
    assert.deepEqual(left, [good.dir.slice(root.length + 1), "current.json"].sort());
    assert.equal(await Deno.readTextFile(`${good.dir}/a.yaml`), "v: 1\n");
  } finally {
    await registry.stop();
    await dir.remove();
  }
});
