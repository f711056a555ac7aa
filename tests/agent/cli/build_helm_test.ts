import assert from "node:assert/strict";
import { buildHelmCommand } from "../../../agent/cli/build_helm.ts";
import { CommandError } from "../../../agent/cli/output.ts";
import { chartEntries, tgz } from "../../support/tar_writer.ts";

const charts =
  new URL("../../../../shared/conformance/helm/v3/testcharts/", import.meta.url).pathname;

Deno.test("skiff build helm prints what helm template prints", async () => {
  let out = "";
  const code = await buildHelmCommand(`${charts}subchart`, {
    releaseName: "web",
    namespace: "apps",
    set: ["service.name=http"],
    showOnly: ["templates/service.yaml"],
    write: (t) => void (out += t),
  });
  assert.equal(code, 0);
  assert.match(out, /^---\n# Source: subchart\/templates\/service.yaml\n/);
  assert.match(out, /app.kubernetes.io\/instance: "web"/);
  assert.match(out, /name: http/);
});

Deno.test("skiff build helm fetches a chart from a repository with --repo and --version", async () => {
  const archive = await tgz(chartEntries("hello"));
  const digest = [
    ...new Uint8Array(await crypto.subtle.digest("SHA-256", archive as Uint8Array<ArrayBuffer>)),
  ]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  const index =
    `apiVersion: v1\nentries:\n  hello:\n  - name: hello\n    version: 0.1.0\n    digest: ${digest}\n    urls:\n    - hello-0.1.0.tgz\n`;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/index.yaml") return new Response(index);
    if (path === "/hello-0.1.0.tgz") return new Response(archive as Uint8Array<ArrayBuffer>);
    return new Response("", { status: 404 });
  });
  try {
    let out = "";
    const code = await buildHelmCommand("hello", {
      repo: `http://127.0.0.1:${server.addr.port}`,
      version: "~0.1",
      releaseName: "greeter",
      write: (t) => void (out += t),
    });
    assert.equal(code, 0);
    assert.equal(
      out,
      "---\n# Source: hello/templates/cm.yaml\nkind: ConfigMap\napiVersion: v1\nmetadata:\n  name: greeter\ndata:\n  g: hello\n",
    );
  } finally {
    await server.shutdown();
  }
});

Deno.test("skiff build helm reports errors with exit code 1", async () => {
  await assert.rejects(
    () => buildHelmCommand(`${charts}chart-bad-type`, { write: () => {} }),
    (e) =>
      e instanceof CommandError && e.exitCode === 1 &&
      /chart.metadata.type must be application or library/.test(e.message),
  );
  await assert.rejects(
    () => buildHelmCommand("/nonexistent/chart", { write: () => {} }),
    /no such file or directory/,
  );
});
