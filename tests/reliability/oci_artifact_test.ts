// Hostile and corrupt OCI artifacts pulled from the real registry: unsafe layers are refused
// before a file is written, and a layer whose bytes do not match its digest leaves the last
// good artifact in place.
import assert from "node:assert/strict";
import {
  FLUX_CONFIG_MEDIA_TYPE,
  FLUX_CONTENT_MEDIA_TYPE,
  OciError,
  pullOciArtifact,
  pushOciArtifact,
} from "../../lib/oci/mod.ts";
import { pushArtifact, startRegistry, type TestRegistry } from "../support/registry.ts";
import { type TarEntry, tgz } from "../support/tar_writer.ts";
import { tempDir } from "../support/process.ts";
import { recordScenario } from "./record.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };
const plain = { insecure: true };

async function pushLayer(registry: TestRegistry, repo: string, entries: TarEntry[]) {
  await pushArtifact(registry, repo, ["bad"], {
    configMediaType: FLUX_CONFIG_MEDIA_TYPE,
    config: new TextEncoder().encode("{}"),
    layers: [{
      mediaType: FLUX_CONTENT_MEDIA_TYPE,
      bytes: await tgz(entries) as Uint8Array<ArrayBuffer>,
    }],
  });
}

Deno.test("hostile artifact layers are refused before anything is written", opts, async () => {
  const registry = await startRegistry();
  const dir = await tempDir("skiff-oci-hostile-");
  try {
    const many: TarEntry[] = [];
    for (let i = 0; i < 11; i++) many.push({ name: `f${i}.yaml`, data: "x" });
    const cases: { entries: TarEntry[]; expect: RegExp }[] = [
      { entries: [{ name: "../escape.yaml", data: "x" }], expect: /parent directory/ },
      { entries: [{ name: "ok/../../escape.yaml", data: "x" }], expect: /parent directory/ },
      { entries: [{ name: "/etc/cron.d/x", data: "x" }], expect: /absolute path/ },
      { entries: [{ name: "link", type: "2", linkName: "/etc/shadow" }], expect: /links/ },
      { entries: [{ name: "hard", type: "1", linkName: "../x" }], expect: /links/ },
      { entries: many, expect: /more than 10 files/ },
      // 64 MiB of zeros in a few hundred KB, stopped while inflating at 1 MiB.
      {
        entries: [{ name: "zeros", data: new Uint8Array(64 * 1024 * 1024) }],
        expect: /decompresses to more than/,
      },
    ];
    for (const [i, c] of cases.entries()) {
      await pushLayer(registry, `bad${i}`, c.entries);
      await assert.rejects(
        pullOciArtifact(
          { url: `oci://${registry.host}/bad${i}`, ref: { tag: "bad" } },
          `${dir.path}/cache`,
          {
            key: `OCIRepository/ns/bad${i}`,
            registry: plain,
            limits: { maxFiles: 10, maxTotalBytes: 1024 * 1024, maxFileBytes: 1024 * 1024 },
          },
        ),
        (e) => e instanceof OciError && e.reason === "Archive" && c.expect.test(e.message),
        `case ${i}`,
      );
    }
    // Nothing of the refused layers reached the cache.
    const sources = await Array.fromAsync(Deno.readDir(`${dir.path}/cache/oci`)).catch(() => []);
    for (const source of sources) {
      const inside = await Array.fromAsync(Deno.readDir(`${dir.path}/cache/oci/${source.name}`));
      assert.deepEqual(inside, []);
    }
    await recordScenario("oci-hostile-layer", { faultsInjected: cases.length });
  } finally {
    await registry.stop();
    await dir.remove();
  }
});

Deno.test("a layer that does not match its digest keeps the last good artifact", opts, async () => {
  const registry = await startRegistry();
  const dir = await tempDir("skiff-oci-corrupt-");
  let corrupt = false;
  // A mirror in front of the registry that flips the last byte of blobs when told to.
  const mirror = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const url = new URL(req.url);
    const res = await fetch(`${registry.url}${url.pathname}${url.search}`, {
      method: req.method,
      headers: req.headers,
    });
    if (!corrupt || !url.pathname.includes("/blobs/sha256:")) return res;
    const bytes = new Uint8Array(await res.arrayBuffer());
    bytes[bytes.length - 1] ^= 0xff;
    return new Response(bytes, { status: res.status, headers: res.headers });
  });
  try {
    const url = `oci://${registry.host}/app`;
    for (const tag of ["v1", "v2"]) {
      await Deno.mkdir(`${dir.path}/${tag}`);
      await Deno.writeTextFile(`${dir.path}/${tag}/cm.yaml`, `version: ${tag}\n`);
      await pushOciArtifact(
        { url: `${url}:${tag}`, path: `${dir.path}/${tag}`, source: "s", revision: tag },
        plain,
      );
    }
    const viaMirror = `oci://127.0.0.1:${mirror.addr.port}/app`;
    const options = { key: "OCIRepository/ns/app", registry: plain };
    const good = await pullOciArtifact(
      { url: viaMirror, ref: { tag: "v1" } },
      `${dir.path}/cache`,
      options,
    );
    corrupt = true;
    const error = await pullOciArtifact(
      { url: viaMirror, ref: { tag: "v2" } },
      `${dir.path}/cache`,
      options,
    ).then(() => undefined, (e) => e);
    assert.ok(error instanceof OciError, String(error));
    assert.match(error.message, /does not match sha256:[0-9a-f]{64}/);
    assert.equal(error.lastArtifact?.revision, good.revision);
    assert.equal(await Deno.readTextFile(`${good.dir}/cm.yaml`), "version: v1\n");
    await recordScenario("oci-corrupt-layer", { faultsInjected: 1 });
  } finally {
    await mirror.shutdown();
    await registry.stop();
    await dir.remove();
  }
});
