// spec.proxySecretRef: requests go through an HTTP proxy with basic auth.
import assert from "node:assert/strict";
import { fetchGitArtifact } from "../../../lib/git/mod.ts";
import { createRepo, startGitServer } from "../../support/git_server.ts";
import { tempDir } from "../../support/process.ts";

Deno.test("fetches through an authenticating HTTP proxy", {
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const tmp = await tempDir("skiff-proxy-");
  const root = `${tmp.path}/repos`;
  await Deno.mkdir(root);
  const server = await startGitServer({ root });
  await createRepo(root, "fleet", { "a.yaml": "via proxy\n" });
  const seen: string[] = [];
  // A forward proxy: absolute-form requests, Proxy-Authorization checked, passed on with fetch.
  const proxy = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    if (req.headers.get("proxy-authorization") !== `Basic ${btoa("proxy-user:proxy-pass")}`) {
      return new Response("proxy auth required", { status: 407 });
    }
    const target = new URL(req.url);
    seen.push(`${req.method} ${target.pathname}`);
    const headers = new Headers(req.headers);
    headers.delete("proxy-authorization");
    const upstream = await fetch(
      `http://127.0.0.1:${server.port}${target.pathname}${target.search}`,
      { method: req.method, headers, body: req.body ? await req.arrayBuffer() : undefined },
    );
    return new Response(upstream.body, { status: upstream.status, headers: upstream.headers });
  });
  try {
    const port = (proxy.addr as Deno.NetAddr).port;
    // The repository's host only resolves through the proxy.
    const url = `http://git.skiff-test.invalid:${server.port}/fleet.git`;
    const artifact = await fetchGitArtifact({
      url,
      ref: { branch: "main" },
      proxySecret: {
        address: `http://127.0.0.1:${port}`,
        username: "proxy-user",
        password: "proxy-pass",
      },
    }, `${tmp.path}/cache`);
    assert.equal(await Deno.readTextFile(`${artifact.dir}/a.yaml`), "via proxy\n");
    assert.deepEqual(seen, [
      "GET /fleet.git/info/refs",
      "POST /fleet.git/git-upload-pack",
    ]);
    const refused = await fetchGitArtifact(
      {
        url,
        ref: { branch: "main" },
        proxySecret: { address: `http://127.0.0.1:${port}`, username: "x", password: "y" },
      },
      `${tmp.path}/cache`,
      { key: "refused" },
    ).catch((e) => e);
    assert.equal(refused.reason, "AuthFailed");
    assert.match(refused.message, /proxy refused the credentials \(HTTP 407\)/);
  } finally {
    await proxy.shutdown();
    await server.stop();
    await tmp.remove();
  }
});
