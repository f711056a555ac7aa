// A running agent marks Git commits with their sync result on a GitHub Enterprise API (a local
// HTTPS server trusted through the Provider's certSecretRef): `success` for the commit it
// applied (once, even across a restart), `failure` for a broken commit pushed after it. The
// token never reaches the log.
import assert from "node:assert/strict";
import { makeTestCertificate } from "../support/git_server.ts";
import {
  appsConfig,
  deployment,
  e2eOpts as opts,
  eventually,
  seedFluxSystem,
  startWorld,
} from "./harness.ts";

interface StatusPost {
  path: string;
  authorization: string | null;
  body: { state: string; context: string; description: string };
}

const providerAndAlert = (port: number) =>
  `apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: {name: github-status, namespace: flux-system}
spec:
  type: github
  address: https://127.0.0.1:${port}/org/fleet
  secretRef: {name: github-token}
  certSecretRef: {name: github-ca}
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: {name: github-status, namespace: flux-system}
spec:
  providerRef: {name: github-status}
  eventSources: [{kind: Kustomization, name: apps}]
`;

Deno.test(
  "commit statuses: success for the synced commit, failure for a broken one",
  opts,
  async () => {
    const certDir = await Deno.makeTempDir({ prefix: "skiff-ghe-" });
    const tls = await makeTestCertificate(certDir);
    const posts: StatusPost[] = [];
    let lists = 0;
    const github = Deno.serve(
      { hostname: "127.0.0.1", port: 0, cert: tls.cert, key: tls.key, onListen: () => {} },
      async (req) => {
        const path = new URL(req.url).pathname;
        if (req.method === "GET") {
          // GET .../commits/{sha}/statuses: what was posted for that commit, newest first.
          lists++;
          const sha = path.split("/").at(-2);
          return Response.json(
            posts.filter((p) => p.path.endsWith(`/${sha}`)).map((p) => p.body).reverse(),
          );
        }
        posts.push({
          path,
          authorization: req.headers.get("authorization"),
          body: await req.json(),
        });
        return Response.json({ id: posts.length }, { status: 201 });
      },
    );
    const token = "ghp-e2e-secret-token";
    const world = await startWorld(
      { "apps/web.yaml": deployment("web") },
      (url) => appsConfig(url, "1s", "1h", providerAndAlert(github.addr.port)),
    );
    try {
      seedFluxSystem(world.api, {
        "github-token": { token },
        "github-ca": { "ca.crt": tls.caCert },
      });
      const synced = await world.repo.git("rev-parse", "HEAD");
      const first = await world.startAgent();
      const success = await eventually(
        "a success status",
        () => posts.find((p) => p.body.state === "success"),
        20_000,
        world.logs,
      );
      assert.equal(success.path, `/api/v3/repos/org/fleet/statuses/${synced}`);
      assert.equal(success.authorization, `Bearer ${token}`);
      assert.match(success.body.context, /^kustomization\/apps\/[0-9a-f]{8}$/);
      assert.equal(success.body.description, "reconciliation succeeded");

      // A restarted agent asks, finds the same status on the commit and posts nothing.
      await first.stop();
      const listsBefore = lists;
      await world.startAgent();
      await eventually("the restarted agent asks", () => lists > listsBefore, 20_000, world.logs);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(posts.length, 1, "no second success status for the same commit");

      const broken = await world.repo.commit({ "apps/bad.yaml": "kind: [x\n" }, "broken");
      const failure = await eventually(
        "a failure status",
        () => posts.find((p) => p.body.state === "failure"),
        20_000,
        world.logs,
      );
      assert.equal(failure.path, `/api/v3/repos/org/fleet/statuses/${broken}`);
      assert.equal(failure.body.context, success.body.context, "one context per object");
      assert.equal(failure.body.description, "build failed");
      assert.ok(!world.logs.some((l) => l.includes(token)), "the token is never logged");
    } finally {
      await world.stop();
      await github.shutdown();
      await Deno.remove(certDir, { recursive: true });
    }
  },
);
