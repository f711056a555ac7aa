// Pulling and pushing OCI artifacts against the real registry (Debian's docker-registry).
import assert from "node:assert/strict";
import {
  ANNOTATION_REVISION,
  ANNOTATION_SOURCE,
  FLUX_CONFIG_MEDIA_TYPE,
  FLUX_CONTENT_MEDIA_TYPE,
  OciError,
  pullOciArtifact,
  pushOciArtifact,
} from "../../../lib/oci/mod.ts";
import { RegistryClient } from "../../../lib/registry/mod.ts";
import { startRegistry, type TestRegistry } from "../../support/registry.ts";
import { tempDir } from "../../support/process.ts";

const plain = { insecure: true };

async function withRegistry(
  fn: (registry: TestRegistry, dir: string) => Promise<void>,
  auth: "none" | "htpasswd" | "token" = "none",
) {
  const registry = await startRegistry({ auth });
  const dir = await tempDir("skiff-oci-");
  try {
    await fn(registry, dir.path);
  } finally {
    await registry.stop();
    await dir.remove();
  }
}

async function writeTree(root: string, files: Record<string, string>) {
  for (const [name, content] of Object.entries(files)) {
    const path = `${root}/${name}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(path, content);
  }
}

Deno.test("a pushed directory pulls back as the same files with Flux's revision", async () => {
  await withRegistry(async (registry, dir) => {
    await writeTree(`${dir}/src`, {
      "apps/deploy.yaml": "kind: Deployment\n",
      "apps/logo.png": "binary",
      "README.md": "hello",
    });
    const pushed = await pushOciArtifact({
      url: `oci://${registry.host}/fleet/manifests:v1.0.0`,
      path: `${dir}/src`,
      source: "https://github.com/org/fleet",
      revision: "main@sha1:0123456789abcdef0123456789abcdef01234567",
    }, plain);
    assert.match(pushed.reference, new RegExp(`^${registry.host}/fleet/manifests:v1.0.0@sha256:`));

    // The manifest is what `flux push artifact` writes.
    const client = new RegistryClient(plain);
    const manifest = await client.manifest(`${registry.host}/fleet/manifests:v1.0.0`);
    client.close();
    const json = manifest.json as {
      mediaType: string;
      config: { mediaType: string };
      layers: { mediaType: string }[];
      annotations: Record<string, string>;
    };
    assert.equal(json.mediaType, "application/vnd.oci.image.manifest.v1+json");
    assert.equal(json.config.mediaType, FLUX_CONFIG_MEDIA_TYPE);
    assert.deepEqual(json.layers.map((l) => l.mediaType), [FLUX_CONTENT_MEDIA_TYPE]);
    assert.equal(json.annotations[ANNOTATION_SOURCE], "https://github.com/org/fleet");
    assert.equal(
      json.annotations[ANNOTATION_REVISION],
      "main@sha1:0123456789abcdef0123456789abcdef01234567",
    );
    assert.match(json.annotations["org.opencontainers.image.created"], /^\d{4}-\d\d-\d\dT.*Z$/);

    const artifact = await pullOciArtifact(
      { url: `oci://${registry.host}/fleet/manifests`, ref: { tag: "v1.0.0" } },
      `${dir}/cache`,
      { key: "OCIRepository/flux-system/apps", registry: plain },
    );
    assert.equal(artifact.revision, `v1.0.0@${pushed.digest}`);
    assert.equal(await Deno.readTextFile(`${artifact.dir}/apps/deploy.yaml`), "kind: Deployment\n");
    assert.equal(await Deno.readTextFile(`${artifact.dir}/README.md`), "hello");
    // Flux's default exclusions apply on pull.
    await assert.rejects(Deno.stat(`${artifact.dir}/apps/logo.png`));
    assert.equal(artifact.files, 2);
    assert.match(artifact.digest, /^sha256:[0-9a-f]{64}$/);
  });
});

Deno.test("semver, digest and the unchanged-revision shortcut", async () => {
  await withRegistry(async (registry, dir) => {
    const url = `oci://${registry.host}/app`;
    const digests: Record<string, string> = {};
    for (const tag of ["1.0.0", "1.1.0", "2.0.0"]) {
      await writeTree(`${dir}/${tag}`, { "v.yaml": `version: ${tag}\n` });
      digests[tag] = (await pushOciArtifact(
        { url: `${url}:${tag}`, path: `${dir}/${tag}`, source: "s", revision: tag },
        plain,
      )).digest;
    }
    const opts = { key: "OCIRepository/ns/app", registry: plain };
    const ranged = await pullOciArtifact({ url, ref: { semver: "~1" } }, `${dir}/cache`, opts);
    assert.equal(ranged.revision, `1.1.0@${digests["1.1.0"]}`);
    assert.equal(await Deno.readTextFile(`${ranged.dir}/v.yaml`), "version: 1.1.0\n");

    // Same revision again: the artifact is served as it is (same directory, same time).
    const again = await pullOciArtifact({ url, ref: { semver: "~1" } }, `${dir}/cache`, opts);
    assert.deepEqual(again, ranged);

    const pinned = await pullOciArtifact(
      { url, ref: { digest: digests["2.0.0"], tag: "1.0.0" } },
      `${dir}/cache`,
      opts,
    );
    assert.equal(pinned.revision, digests["2.0.0"]);
    assert.equal(await Deno.readTextFile(`${pinned.dir}/v.yaml`), "version: 2.0.0\n");
    // The previous directory is kept for consumers still reading it; older ones go.
    assert.ok((await Deno.stat(ranged.dir)).isDirectory);
  });
});

Deno.test("a failed pull carries the last good artifact", async () => {
  await withRegistry(async (registry, dir) => {
    await writeTree(`${dir}/src`, { "a.yaml": "a: 1\n" });
    const url = `oci://${registry.host}/app`;
    await pushOciArtifact(
      { url: `${url}:v1`, path: `${dir}/src`, source: "s", revision: "r" },
      plain,
    );
    const opts = { key: "OCIRepository/ns/app", registry: plain };
    const good = await pullOciArtifact({ url, ref: { tag: "v1" } }, `${dir}/cache`, opts);
    await assert.rejects(
      pullOciArtifact({ url, ref: { tag: "v2" } }, `${dir}/cache`, opts),
      (e) =>
        e instanceof OciError && e.reason === "Registry" && /not found/.test(e.message) &&
        e.lastArtifact?.revision === good.revision,
    );
  });
});

Deno.test("push and pull through token auth with credentials", async () => {
  await withRegistry(async (registry, dir) => {
    await writeTree(`${dir}/src`, { "a.yaml": "a: 1\n" });
    const credentials = { username: "alice", password: "wonderland" };
    const url = `oci://${registry.host}/private/app`;
    await pushOciArtifact(
      { url: `${url}:v1`, path: `${dir}/src`, source: "s", revision: "r", credentials },
      plain,
    );
    await assert.rejects(
      pullOciArtifact({ url, ref: { tag: "v1" } }, `${dir}/cache`, {
        key: "OCIRepository/ns/anon",
        registry: plain,
      }),
      (e) => e instanceof OciError && e.reason === "Unauthorized",
    );
    const artifact = await pullOciArtifact(
      { url, ref: { tag: "v1" }, credentials },
      `${dir}/cache`,
      {
        key: "OCIRepository/ns/app",
        registry: plain,
      },
    );
    assert.equal(await Deno.readTextFile(`${artifact.dir}/a.yaml`), "a: 1\n");
  }, "token");
});
