// Release storage in Helm's format: bodies Helm's own Go structs decode strictly, Secrets with
// Helm's name, type and labels, and releases written by Helm (the adopt fixture) read back.
import assert from "node:assert/strict";
import {
  chartToJson,
  decodeRelease,
  encodeRelease,
  type Release,
  ReleaseDecodeError,
  releaseFromSecret,
  releaseJson,
  releaseToSecret,
  ZERO_TIME,
} from "../../../../lib/helm/release/mod.ts";
import { loadChart } from "../../../../lib/helm/mod.ts";
import type { KubeObject } from "../../../../lib/kube/mod.ts";
import { parseOne } from "../../../../lib/yaml/mod.ts";
import { goRelease } from "./go_release.ts";

const FIXTURES = new URL("../../../fixtures/helmrelease/", import.meta.url).pathname;

async function sampleRelease(): Promise<Release> {
  const chart = await loadChart(`${FIXTURES}charts/webapp`);
  return {
    name: "web",
    info: {
      first_deployed: "2026-01-02T03:04:05.678Z",
      last_deployed: "2026-01-02T03:04:05.678Z",
      deleted: ZERO_TIME,
      description: "Install complete",
      status: "deployed",
      notes: "hello\n",
    },
    chart: chartToJson(chart),
    config: { message: "hi", nested: { list: [1, "two", true, null] } },
    manifest: "---\n# Source: webapp/templates/configmap.yaml\napiVersion: v1\nkind: ConfigMap\n",
    hooks: [{
      name: "web-migrate",
      kind: "Job",
      path: "webapp/templates/pre-hook.yaml",
      manifest: "apiVersion: batch/v1\nkind: Job",
      events: ["pre-install", "pre-upgrade"],
      last_run: { started_at: ZERO_TIME, completed_at: ZERO_TIME, phase: "" },
      weight: 5,
      delete_policies: ["before-hook-creation"],
    }],
    version: 1,
    namespace: "apps",
  };
}

Deno.test("a release body round-trips through encode and decode", async () => {
  const release = await sampleRelease();
  const decoded = await decodeRelease(await encodeRelease(release));
  assert.deepEqual(decoded, JSON.parse(releaseJson(release)));
});

Deno.test("Helm's Go release structs decode skiff's body strictly and lose nothing", async () => {
  const release = await sampleRelease();
  const goJson = JSON.parse(await goRelease("decode", await encodeRelease(release)));
  const ours = JSON.parse(releaseJson(release));
  // Go re-marshals times in its own form; compare them as instants.
  assert.equal(Date.parse(goJson.info.first_deployed), Date.parse(ours.info.first_deployed));
  goJson.info.first_deployed = ours.info.first_deployed;
  goJson.info.last_deployed = ours.info.last_deployed;
  assert.deepEqual(goJson, ours);
});

Deno.test("the release Secret has Helm's name, type, labels and double-base64 body", async () => {
  const release = await sampleRelease();
  const secret = await releaseToSecret(release, "apps", {
    createdAt: new Date("2026-01-02T03:04:05Z"),
  });
  assert.equal(secret.metadata.name, "sh.helm.release.v1.web.v1");
  assert.equal(secret.metadata.namespace, "apps");
  assert.equal(secret.type, "helm.sh/release.v1");
  assert.deepEqual(secret.metadata.labels, {
    name: "web",
    owner: "helm",
    status: "deployed",
    version: "1",
    createdAt: "1767323045",
  });
  const wire = (secret.data as Record<string, string>).release;
  const body = atob(wire);
  assert.match(body, /^H4sI/, "the Secret's bytes are base64 text of a gzip stream");
  assert.deepEqual(await releaseFromSecret(secret), JSON.parse(releaseJson(release)));
});

for (const version of [1, 2]) {
  Deno.test(`a release Secret written in Helm's format (revision ${version}) decodes`, async () => {
    const secret = parseOne(
      await Deno.readTextFile(`${FIXTURES}adopt/sh.helm.release.v1.legacy.v${version}.yaml`),
    ) as KubeObject;
    const expected = JSON.parse(
      await Deno.readTextFile(`${FIXTURES}adopt/release-v${version}.json`),
    );
    const release = await releaseFromSecret(secret);
    assert.deepEqual(release, expected);
    assert.equal(release.info.status, secret.metadata.labels?.status);
  });
}

Deno.test("an uncompressed body (older Helm) is read as well", async () => {
  const release = await sampleRelease();
  const decoded = await decodeRelease(btoa(releaseJson(release)));
  assert.equal(decoded.name, "web");
});

Deno.test("damaged bodies fail with ReleaseDecodeError naming the source", async () => {
  await assert.rejects(
    () => decodeRelease("%%%", "Secret apps/x"),
    (e) => e instanceof ReleaseDecodeError && /Secret apps\/x: .*not base64/.test(e.message),
  );
  await assert.rejects(
    () => decodeRelease(btoa("{not json"), "Secret apps/x"),
    (e) => e instanceof ReleaseDecodeError && /not JSON/.test(e.message),
  );
  await assert.rejects(
    () => decodeRelease(btoa('{"version":1}'), "Secret apps/x"),
    (e) => e instanceof ReleaseDecodeError && /field name/.test(e.message),
  );
  await assert.rejects(
    () => releaseFromSecret({ apiVersion: "v1", kind: "Secret", metadata: { name: "s" } }),
    (e) => e instanceof ReleaseDecodeError && /data.release is missing/.test(e.message),
  );
});
