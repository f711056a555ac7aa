import assert from "node:assert/strict";
import { loadConfigText } from "../../../agent/config/mod.ts";
import {
  commitStatusKey,
  type HttpCall,
  plannedCalls,
  sendEvent,
} from "../../../agent/events/mod.ts";
import { makeTestCertificate } from "../../support/git_server.ts";
import { fixtureEvent, providerContext, SHA } from "./event_fixture.ts";

async function sha256Prefix(text: string): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...d].map((b) => b.toString(16).padStart(2, "0")).join("").slice(0, 8);
}

async function sha1Hex(text: string): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text)));
  return [...d].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function onlyCall(...args: Parameters<typeof plannedCalls>): Promise<HttpCall> {
  const planned = await plannedCalls(...args);
  assert.equal(planned.skipped, undefined);
  assert.equal(planned.calls.length, 1);
  return planned.calls[0];
}

const token = { token: "tok-123" };

Deno.test("the status key is <kind>/<name>/<8 hex of the provider> in lower case", async () => {
  const key = await commitStatusKey(providerContext("github"), fixtureEvent());
  assert.equal(key, `kustomization/apps/${await sha256Prefix("flux-system/forge")}`);
  assert.match(key, /^kustomization\/apps\/[0-9a-f]{8}$/);
});

Deno.test("github: POST /repos/{owner}/{repo}/statuses/{sha} on api.github.com or /api/v3", async () => {
  const key = await commitStatusKey(providerContext("github"), fixtureEvent());
  const ok = await onlyCall(
    providerContext("github", { address: "https://github.com/org/fleet.git" }, token),
    fixtureEvent(),
  );
  assert.equal(ok.method, "POST");
  assert.equal(ok.url, `https://api.github.com/repos/org/fleet/statuses/${SHA}`);
  assert.equal(ok.headers.authorization, "Bearer tok-123");
  assert.equal(ok.headers.accept, "application/vnd.github+json");
  assert.deepEqual(JSON.parse(ok.body), {
    state: "success",
    context: key,
    description: "reconciliation succeeded",
  });
  const failed = await onlyCall(
    providerContext("github", { address: "git@ghe.example.com:org/fleet.git" }, token),
    fixtureEvent({ severity: "error", reason: "BuildFailed", message: "kustomize build failed" }),
  );
  assert.equal(failed.url, `https://ghe.example.com/api/v3/repos/org/fleet/statuses/${SHA}`);
  assert.deepEqual(JSON.parse(failed.body), {
    state: "failure",
    context: key,
    description: "build failed",
  });
});

Deno.test("gitlab: project path url-encoded, PRIVATE-TOKEN, success/failed", async () => {
  const key = await commitStatusKey(providerContext("gitlab"), fixtureEvent());
  const call = await onlyCall(
    providerContext("gitlab", { address: "https://gitlab.example.com/group/sub/project" }, token),
    fixtureEvent({ severity: "error", reason: "HealthCheckFailed" }),
  );
  assert.equal(
    call.url,
    `https://gitlab.example.com/api/v4/projects/group%2Fsub%2Fproject/statuses/${SHA}`,
  );
  assert.equal(call.headers["private-token"], "tok-123");
  assert.equal(call.headers.authorization, undefined);
  assert.deepEqual(JSON.parse(call.body), {
    state: "failed",
    name: key,
    description: "health check failed",
  });
});

Deno.test("gitea: /api/v1/repos/{owner}/{repo}/statuses/{sha} with a token header", async () => {
  const key = await commitStatusKey(providerContext("gitea"), fixtureEvent());
  const call = await onlyCall(
    providerContext("gitea", { address: "https://gitea.example.com/org/fleet" }, token),
    fixtureEvent(),
  );
  assert.equal(call.url, `https://gitea.example.com/api/v1/repos/org/fleet/statuses/${SHA}`);
  assert.equal(call.headers.authorization, "token tok-123");
  assert.deepEqual(JSON.parse(call.body), {
    state: "success",
    target_url: "",
    description: "reconciliation succeeded",
    context: key,
  });
});

Deno.test("bitbucket: 2.0 build status, user:password basic auth, SHA-1 key", async () => {
  const key = await commitStatusKey(providerContext("bitbucket"), fixtureEvent());
  const call = await onlyCall(
    providerContext("bitbucket", { address: "https://bitbucket.org/team/fleet.git" }, {
      token: "me:app-pass",
    }),
    fixtureEvent({ metadata: { revision: `main@sha1:${SHA}`, summary: "EU" } }),
  );
  assert.equal(
    call.url,
    `https://api.bitbucket.org/2.0/repositories/team/fleet/commit/${SHA}/statuses/build`,
  );
  assert.equal(call.headers.authorization, `Basic ${btoa("me:app-pass")}`);
  assert.deepEqual(JSON.parse(call.body), {
    state: "SUCCESSFUL",
    key: await sha1Hex(key),
    name: "eu/kustomization/apps",
    description: "reconciliation succeeded",
    url: "https://bitbucket.org",
  });
  await assert.rejects(
    () =>
      plannedCalls(
        providerContext("bitbucket", { address: "https://bitbucket.org/team/fleet" }, token),
        fixtureEvent(),
      ),
    /<username>:<app-password>/,
  );
});

Deno.test("bitbucketserver: builds endpoint under the context path, bearer or basic", async () => {
  const key = await commitStatusKey(providerContext("bitbucketserver"), fixtureEvent());
  const address = "https://bb.example.com/bitbucket/scm/PROJ/fleet.git";
  const call = await onlyCall(
    providerContext("bitbucketserver", { address }, token),
    fixtureEvent({ severity: "error", reason: "BuildFailed" }),
  );
  assert.equal(
    call.url,
    `https://bb.example.com/bitbucket/rest/api/latest/projects/PROJ/repos/fleet/commits/${SHA}/builds`,
  );
  assert.equal(call.headers.authorization, "Bearer tok-123");
  assert.equal(call.headers["x-atlassian-token"], "no-check");
  assert.deepEqual(JSON.parse(call.body), {
    key: await sha1Hex(key),
    state: "FAILED",
    url: address,
    description: "build failed",
    name: "kustomization/apps [build failed]",
  });
  const basic = await onlyCall(
    providerContext("bitbucketserver", { address, username: "bot" }, { password: "pw" }),
    fixtureEvent(),
  );
  assert.equal(basic.headers.authorization, `Basic ${btoa("bot:pw")}`);
  await assert.rejects(
    () =>
      plannedCalls(
        providerContext("bitbucketserver", { address: "https://bb.example.com/PROJ/fleet" }, token),
        fixtureEvent(),
      ),
    /\/scm\/<project>\/<repo>\.git/,
  );
});

Deno.test("azuredevops: commit statuses API with genre fluxcd and the key as name", async () => {
  const key = await commitStatusKey(providerContext("azuredevops"), fixtureEvent());
  const call = await onlyCall(
    providerContext("azuredevops", { address: "https://dev.azure.com/org/proj/_git/fleet" }, token),
    fixtureEvent(),
  );
  assert.equal(
    call.url,
    `https://dev.azure.com/org/proj/_apis/git/repositories/fleet/commits/${SHA}/statuses?api-version=6.0`,
  );
  assert.equal(call.headers.authorization, `Basic ${btoa(":tok-123")}`);
  assert.deepEqual(JSON.parse(call.body), {
    state: "succeeded",
    description: "reconciliation succeeded",
    context: { genre: "fluxcd", name: key },
  });
});

Deno.test("events without a commit revision set no status; a missing token is an error", async () => {
  const github = providerContext("github", { address: "https://github.com/o/r" }, token);
  const chart = await plannedCalls(github, fixtureEvent({ metadata: { revision: "6.5.4" } }));
  assert.equal(chart.calls.length, 0);
  assert.match(chart.skipped ?? "", /revision 6\.5\.4 names no Git commit/);
  const none = await plannedCalls(github, fixtureEvent({ metadata: {} }));
  assert.match(none.skipped ?? "", /no revision/);
  const progressing = await plannedCalls(github, fixtureEvent({ reason: "Progressing" }));
  assert.equal(progressing.calls.length, 0);
  await assert.rejects(
    () =>
      plannedCalls(
        providerContext("github", { address: "https://github.com/o/r" }),
        fixtureEvent(),
      ),
    /spec\.secretRef: a github provider needs a personal access token in the 'token' key/,
  );
  await assert.rejects(
    () =>
      plannedCalls(
        providerContext("github", { address: "https://github.com/o" }, token),
        fixtureEvent(),
      ),
    /spec\.address: a github provider expects a repository URL/,
  );
});

Deno.test("each forge is asked for the commit's statuses; the same latest status is not reposted", async () => {
  const p = (type: string, address: string, secret = token) =>
    providerContext(type, { address }, secret);
  const key = await commitStatusKey(p("github", ""), fixtureEvent());
  const bbKey = await sha1Hex(key);
  const cases: [ReturnType<typeof p>, string, unknown, unknown][] = [
    [
      p("github", "https://github.com/o/r"),
      `https://api.github.com/repos/o/r/commits/${SHA}/statuses?per_page=50`,
      [{ context: key, state: "success", description: "reconciliation succeeded" }],
      [
        { context: key, state: "failure", description: "build failed" },
        { context: key, state: "success", description: "reconciliation succeeded" },
      ],
    ],
    [
      p("gitlab", "https://gl.example/g/p"),
      `https://gl.example/api/v4/projects/g%2Fp/repository/commits/${SHA}/statuses?name=${
        encodeURIComponent(key)
      }`,
      [{ name: key, status: "success", description: "reconciliation succeeded" }],
      [{ name: key, status: "failed", description: "build failed" }],
    ],
    [
      p("gitea", "https://gitea.example/o/r"),
      `https://gitea.example/api/v1/repos/o/r/statuses/${SHA}?limit=50`,
      [{ context: key, status: "success", description: "reconciliation succeeded" }],
      [{ context: "other", status: "success", description: "reconciliation succeeded" }],
    ],
    [
      p("bitbucket", "https://bitbucket.org/o/r", { token: "u:p" }),
      `https://api.bitbucket.org/2.0/repositories/o/r/commit/${SHA}/statuses/build/${bbKey}`,
      { key: bbKey, state: "SUCCESSFUL", description: "reconciliation succeeded" },
      { key: bbKey, state: "FAILED", description: "build failed" },
    ],
    [
      p("bitbucketserver", "https://bb.example/scm/P/r.git"),
      `https://bb.example/rest/api/latest/projects/P/repos/r/commits/${SHA}/builds?key=${bbKey}`,
      {
        key: bbKey,
        state: "SUCCESSFUL",
        description: "reconciliation succeeded",
        name: "kustomization/apps [reconciliation succeeded]",
      },
      { key: bbKey, state: "SUCCESSFUL", description: "reconciliation succeeded", name: "x" },
    ],
    [
      p("azuredevops", "https://dev.azure.com/o/p/_git/r"),
      `https://dev.azure.com/o/p/_apis/git/repositories/r/commits/${SHA}/statuses?api-version=6.0`,
      {
        value: [{
          context: { genre: "fluxcd", name: key },
          state: "succeeded",
          description: "reconciliation succeeded",
        }],
      },
      { value: [] },
    ],
  ];
  for (const [provider, url, same, different] of cases) {
    const check = (await onlyCall(provider, fixtureEvent())).unlessPresent!;
    assert.equal(check.url, url, provider.type);
    assert.equal(check.present(same), true, `${provider.type}: same status`);
    assert.equal(check.present(different), false, `${provider.type}: different status`);
    assert.equal(check.present({ message: "Not Found" }), false, `${provider.type}: odd answer`);
  }
});

Deno.test(
  "a commit status reaches a GitHub Enterprise host over HTTPS trusting certSecretRef's CA",
  { sanitizeResources: false, sanitizeOps: false },
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "skiff-status-" });
    const tls = await makeTestCertificate(dir);
    const seen: {
      method: string;
      path: string;
      headers: Record<string, string>;
      body: string;
    }[] = [];
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, cert: tls.cert, key: tls.key, onListen: () => {} },
      async (req) => {
        const url = new URL(req.url);
        const body = await req.text();
        seen.push({
          method: req.method,
          path: url.pathname,
          headers: Object.fromEntries(req.headers),
          body,
        });
        if (req.method === "GET") {
          // GitHub lists a commit's statuses newest first.
          const posted = seen.filter((s) => s.method === "POST").map((s) => JSON.parse(s.body));
          return Response.json(posted.reverse());
        }
        return Response.json({ id: 1 }, { status: 201 });
      },
    );
    try {
      const config = loadConfigText(
        `apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: {name: ghe}
spec: {type: github, address: "https://localhost:${server.addr.port}/org/fleet", secretRef: {name: t}}
`,
        "providers.yaml",
      );
      const provider = config.get("Provider", "flux-system", "ghe")!;
      const result = await sendEvent(
        provider,
        { token: "ghp-secret", caCert: tls.caCert },
        fixtureEvent({ severity: "error", reason: "BuildFailed" }),
        { attempts: 1 },
      );
      assert.deepEqual(result, { sent: 1 });
      assert.deepEqual(seen.map((s) => `${s.method} ${s.path}`), [
        `GET /api/v3/repos/org/fleet/commits/${SHA}/statuses`,
        `POST /api/v3/repos/org/fleet/statuses/${SHA}`,
      ]);
      const post = seen[1];
      assert.equal(post.headers.authorization, "Bearer ghp-secret");
      assert.equal(post.headers["content-type"], "application/json");
      const body = JSON.parse(post.body);
      assert.equal(body.state, "failure");
      assert.match(body.context, /^kustomization\/apps\/[0-9a-f]{8}$/);

      // The same status again (a restarted agent): asked, not posted.
      const again = await sendEvent(
        provider,
        { token: "ghp-secret", caCert: tls.caCert },
        fixtureEvent({ severity: "error", reason: "BuildFailed" }),
        { attempts: 1 },
      );
      assert.deepEqual(again, { sent: 0, present: 1 });
      assert.equal(seen.filter((s) => s.method === "POST").length, 1);

      // Without the CA the TLS handshake fails, and the error names neither URL nor token.
      await assert.rejects(
        () => sendEvent(provider, { token: "ghp-secret" }, fixtureEvent(), { attempts: 1 }),
        (e) =>
          e instanceof Error && /provider flux-system\/ghe: delivery failed/.test(e.message) &&
          !e.message.includes("localhost") && !e.message.includes("ghp-secret"),
      );
      assert.equal(seen.length, 3);
    } finally {
      await server.shutdown();
      await Deno.remove(dir, { recursive: true });
    }
  },
);
