// Charts in an OCI registry: Debian's docker-registry behind token auth, charts pushed as
// `helm push` does, pulled and rendered by skiff.
import assert from "node:assert/strict";
import {
  helmTemplate,
  loadChartArchive,
  RepoError,
  resolveOciChart,
} from "../../../../lib/helm/mod.ts";
import { pushHelmChart, startRegistry } from "../../../support/registry.ts";
import { chartEntries, tgz } from "../../../support/tar_writer.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

async function packaged(version: string): Promise<Uint8Array<ArrayBuffer>> {
  const entries = chartEntries("podinfo").map((e) =>
    e.name.endsWith("Chart.yaml")
      ? { ...e, data: `apiVersion: v2\nname: podinfo\nversion: ${version}\n` }
      : e
  );
  return (await tgz(entries)) as Uint8Array<ArrayBuffer>;
}

Deno.test(
  "pulls OCI charts by constraint through bearer-token auth and renders them",
  opts,
  async () => {
    const registry = await startRegistry({ auth: "token" });
    const credentials = { username: "alice", password: "wonderland" };
    try {
      for (const v of ["6.0.0", "6.1.0", "6.2.0-rc.1", "7.0.0+build.5"]) {
        await pushHelmChart(
          registry,
          "charts/podinfo",
          { name: "podinfo", version: v },
          await packaged(v),
          {
            credentials,
          },
        );
      }
      const url = `oci://${registry.host}/charts/podinfo`;
      const o = { insecure: true };
      const six = await resolveOciChart(url, "^6", credentials, o);
      assert.equal(six.version, "6.1.0");
      assert.match(six.digest, /^sha256:[0-9a-f]{64}$/);
      assert.equal((await resolveOciChart(url, "", credentials, o)).version, "7.0.0+build.5");
      assert.equal((await resolveOciChart(url, "6.0.0", credentials, o)).version, "6.0.0");
      const chart = await loadChartArchive(six.archive, url);
      const out = await helmTemplate({ chart, releaseName: "oci", values: ["greeting=hi"] });
      assert.match(out, /# Source: podinfo\/templates\/cm.yaml\n[\s\S]*name: oci\n[\s\S]*g: hi/);
      await assert.rejects(
        () => resolveOciChart(url, "^6", undefined, o),
        (e) => e instanceof RepoError && /401|unauthori|denied/i.test(e.message),
      );
      await assert.rejects(
        () => resolveOciChart(url, "^9", credentials, o),
        /no chart version found for podinfo-\^9/,
      );
    } finally {
      await registry.stop();
    }
  },
);
