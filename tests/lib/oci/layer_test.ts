import assert from "node:assert/strict";
import {
  DOCKER_MANIFEST,
  FLUX_CONTENT_MEDIA_TYPE,
  OCI_MANIFEST,
  OciError,
  selectLayer,
} from "../../../lib/oci/mod.ts";

const d = (c: string) => `sha256:${c.repeat(64)}`;
const manifest = (...layers: [string, string][]) => ({
  schemaVersion: 2,
  layers: layers.map(([mediaType, digest]) => ({ mediaType, digest, size: 1 })),
});

Deno.test("without a selector Flux's content layer is chosen, wherever it is", () => {
  const m = manifest(["application/vnd.other", d("a")], [FLUX_CONTENT_MEDIA_TYPE, d("b")]);
  assert.equal(selectLayer(m, OCI_MANIFEST, undefined, "x").digest, d("b"));
});

Deno.test("without a selector and no Flux layer the first layer is chosen", () => {
  const m = manifest(
    ["application/vnd.cncf.helm.chart.content.v1.tar+gzip", d("c")],
    ["application/vnd.other", d("e")],
  );
  assert.equal(selectLayer(m, OCI_MANIFEST, {}, "x").digest, d("c"));
  // Docker v2 manifests have the same layers list.
  const docker = manifest(["application/vnd.docker.image.rootfs.diff.tar.gzip", d("f")]);
  assert.equal(selectLayer(docker, DOCKER_MANIFEST, undefined, "x").digest, d("f"));
});

Deno.test("layerSelector.mediaType picks that layer or fails listing the layers", () => {
  const m = manifest([FLUX_CONTENT_MEDIA_TYPE, d("a")], ["application/x-custom", d("b")]);
  assert.equal(
    selectLayer(m, OCI_MANIFEST, { mediaType: "application/x-custom" }, "x").digest,
    d("b"),
  );
  assert.throws(
    () => selectLayer(m, OCI_MANIFEST, { mediaType: "application/none" }, "oci://r/x:1"),
    (e) =>
      e instanceof OciError && e.reason === "LayerNotFound" &&
      e.message.includes("application/none") && e.message.includes("application/x-custom"),
  );
});

Deno.test("an image index or a manifest without layers is refused", () => {
  assert.throws(
    () => selectLayer({ manifests: [] }, "application/vnd.oci.image.index.v1+json", {}, "x"),
    (e) => e instanceof OciError && e.reason === "UnsupportedManifest" && /index/.test(e.message),
  );
  assert.throws(
    () => selectLayer({ layers: [] }, OCI_MANIFEST, {}, "x"),
    (e) => e instanceof OciError && e.reason === "UnsupportedManifest",
  );
});
