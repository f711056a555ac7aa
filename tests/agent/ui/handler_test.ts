import assert from "node:assert/strict";
import { createStatusPage } from "../../../agent/ui/mod.ts";
import { APPS, fleet, GIT, INFRA, POLICY, REVISION } from "./fixture.ts";

const NOW = Date.parse("2029-12-31T23:59:00Z");

function get(path: string, init: RequestInit = {}): Request {
  return new Request(`http://127.0.0.1:9090${path}`, init);
}

async function page(path: string): Promise<{ status: number; body: string; res: Response }> {
  const f = fleet();
  const handle = createStatusPage(f.source, { now: () => NOW });
  const res = (await handle(get(path)))!;
  assert.ok(res, `${path} is a UI path`);
  return { status: res.status, body: await res.text(), res };
}

Deno.test("leaves paths that are not the page's to the server", async () => {
  const handle = createStatusPage(fleet().source);
  for (const path of ["/healthz", "/api/v1/status", "/metrics", "/hook/abc", "/uix"]) {
    assert.equal(await handle(get(path)), undefined, path);
  }
});

Deno.test("sends / and /ui to the overview", async () => {
  const handle = createStatusPage(fleet().source);
  for (const path of ["/", "/ui"]) {
    const res = (await handle(get(path)))!;
    assert.equal(res.status, 308);
    assert.equal(res.headers.get("location"), "/ui/");
  }
});

Deno.test("the overview lists every object with its state in words, short revision and full error", async () => {
  const { status, body, res } = await page("/ui/");
  assert.equal(status, 200);
  assert.match(res.headers.get("content-type")!, /text\/html/);
  assert.match(res.headers.get("content-security-policy")!, /script-src 'self'/);
  for (const key of [GIT, INFRA, APPS, POLICY]) assert.ok(body.includes(`data-key="${key}"`), key);
  assert.match(body, /class="badge s-ready">Ready</);
  assert.match(body, /class="badge s-failed">Failed</);
  assert.match(body, /class="badge s-waiting">Waiting</);
  assert.match(body, /class="badge s-suspended">Suspended</);
  assert.ok(body.includes(">main@0123456<"), "short SHA");
  assert.ok(body.includes(`title="${REVISION}"`), "full revision on hover");
  // The error in full, escaped.
  assert.ok(body.includes("kustomize build failed: ./infra: no such directory &lt;script&gt;"));
  assert.ok(!body.includes("<script>"));
  // A waiting object says what it waits for, down to the root cause.
  assert.ok(body.includes("apps waits for infra, which failed: kustomize build failed"));
  assert.match(body, /4 objects: 1 ready, 1 failed, 1 waiting, 1 progressing, 1 suspended/);
  assert.match(body, /datetime="2030-01-01T00:00:00.000Z"[^>]*>in 1 min</);
});

Deno.test("the overview filters by kind, namespace, state and text, and sorts", async () => {
  const rowsOf = (body: string) => [...body.matchAll(/<tr data-key="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(rowsOf((await page("/ui/?kind=Kustomization")).body).sort(), [APPS, INFRA]);
  assert.deepEqual(rowsOf((await page("/ui/?state=failed")).body), [INFRA]);
  assert.deepEqual(rowsOf((await page("/ui/?state=suspended")).body), [POLICY]);
  assert.deepEqual(rowsOf((await page("/ui/?q=NO+SUCH+DIRECTORY")).body), [INFRA, APPS]);
  assert.deepEqual(rowsOf((await page("/ui/?namespace=other")).body), []);
  assert.deepEqual(rowsOf((await page("/ui/?sort=name&dir=desc")).body), [
    POLICY,
    INFRA,
    GIT,
    APPS,
  ]);
  // Problems first by default.
  assert.deepEqual(rowsOf((await page("/ui/")).body), [INFRA, APPS, POLICY, GIT]);
  const sorted = (await page("/ui/?sort=name")).body;
  assert.match(sorted, /aria-sort="ascending"><a href="\/ui\/\?sort=name&amp;dir=desc">Name/);
});

Deno.test("an object page shows the root cause, the dependency chain and the inventory tree", async () => {
  const { status, body } = await page(`/ui/object/${APPS}`);
  assert.equal(status, 200);
  assert.match(body, /Root cause:<\/strong> apps waits for infra, which failed: kustomize build/);
  assert.match(body, /source<\/span> <a href="\/ui\/object\/GitRepository\/flux-system\/fleet">/);
  assert.match(
    body,
    /depends on<\/span> <a href="\/ui\/object\/Kustomization\/flux-system\/infra">/,
  );
  // namespace → kind → name, cluster-scoped objects on their own.
  const tree = body.slice(body.indexOf('id="inventory"'), body.indexOf('id="history"'));
  assert.match(tree, /\(cluster-scoped\)[\s\S]*Namespace[\s\S]*web/);
  assert.match(
    tree,
    /<strong>web<\/strong> <span class="muted">\(2\)[\s\S]*Deployment[\s\S]*frontend/,
  );
  assert.match(tree, /h-current">Current<\/span> frontend/);
});

Deno.test("an object page shows the config as YAML and never a secret value", async () => {
  const apps = (await page(`/ui/object/${APPS}`)).body;
  assert.match(apps, /<pre class="yaml"[^>]*><code>apiVersion: kustomize.toolkit.fluxcd.io\/v1/);
  assert.match(apps, /cluster: prod/);
  assert.match(apps, /db_password: &quot;\*\*\*\*\*\*\*\*&quot;|db_password: \*\*\*\*\*\*\*\*/);
  assert.ok(!apps.includes("s3cr3t-pw"));
  const git = (await page(`/ui/object/${GIT}`)).body;
  assert.ok(!git.includes("hunter2"), "credentials in a URL are masked");
  assert.ok(git.includes("https://bot:********@git.example.com/fleet.git"));
});

Deno.test("history counts created, configured and pruned objects; drift corrections are recorded", async () => {
  const f = fleet();
  const id = (name: string) => ({ kind: "Deployment", namespace: "web", name });
  f.run(INFRA, { ready: "True", revision: REVISION });
  f.run(APPS, {
    ready: "True",
    revision: REVISION,
    changes: [
      { id: id("a"), action: "created", reason: "" },
      { id: id("b"), action: "created", reason: "" },
      { id: id("old"), action: "deleted", reason: "pruned" },
    ],
  });
  // The same revision and config again, yet something had to be put back: drift.
  f.run(APPS, {
    ready: "True",
    revision: REVISION,
    changes: [{ id: id("a"), action: "configured", reason: "spec.replicas changed" }],
  });
  // A new commit that changes an object is not drift.
  f.run(APPS, {
    ready: "True",
    revision: "main@sha1:feedfeedfeedfeedfeedfeedfeedfeedfeedfeed",
    changes: [{ id: id("b"), action: "configured", reason: "" }],
  });
  const details = (await f.source.details(APPS))!;
  assert.deepEqual(
    details.history.slice(0, 3).map((h) => [h.created, h.configured, h.pruned, h.driftCorrected]),
    [[0, 1, 0, false], [0, 1, 0, true], [2, 0, 1, false]],
  );
  assert.equal(details.drift.length, 1);
  assert.deepEqual(details.drift[0].corrected, [
    "Deployment web/a configured (spec.replicas changed)",
  ]);
  const body = await (await createStatusPage(f.source)(get(`/ui/object/${APPS}`)))!.text();
  assert.match(body, /drift corrected/);
  assert.match(body, /put back <span class="mono">Deployment web\/a configured/);
});

Deno.test("an image policy's page lists the latest image and the tags seen", async () => {
  const { body } = await page(`/ui/object/${POLICY}`);
  assert.match(body, /Latest image: <strong class="mono">registry.local\/web:1.10.0</);
  assert.match(body, /<li class="mono">1.10.0<\/li><li class="mono">1.9.0<\/li>/);
});

Deno.test("an object the agent does not reconcile is a 404 page", async () => {
  assert.equal((await page("/ui/object/Kustomization/flux-system/nope")).status, 404);
  assert.equal((await page("/ui/object/Kustomization/only-two")).status, 404);
  assert.equal((await page("/ui/nothing-here")).status, 404);
});

Deno.test("the page is read-only: writes are refused", async () => {
  const handle = createStatusPage(fleet().source);
  for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
    const res = (await handle(get("/ui/", { method })))!;
    assert.equal(res.status, 405, method);
    assert.equal(res.headers.get("allow"), "GET, HEAD");
  }
  const head = (await handle(get("/ui/", { method: "HEAD" })))!;
  assert.equal(head.status, 200);
  assert.equal(head.body, null);
});

Deno.test("assets are served from the binary and the page weighs under 100 KB", async () => {
  const handle = createStatusPage(fleet().source);
  const overviewRes = (await handle(get("/ui/")))!;
  const csp = overviewRes.headers.get("content-security-policy")!;
  const overview = await overviewRes.text();
  // The stylesheet is inline and allowed by its hash, nothing else inline.
  const css = /<style>([\s\S]*?)<\/style>/.exec(overview)![1];
  assert.match(css, /prefers-color-scheme: dark/);
  const hash = btoa(String.fromCharCode(
    ...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(css))),
  ));
  assert.ok(csp.includes(`style-src 'sha256-${hash}'`), csp);
  const js = (await handle(get("/ui/assets/app.js")))!;
  assert.match(js.headers.get("content-type")!, /javascript/);
  const jsText = await js.text();
  assert.match(jsText, /EventSource/);
  assert.doesNotMatch(jsText, /: string\)|: void/, "compiled, not TypeScript");
  new Function(jsText); // parses as JavaScript
  const detail = await (await handle(get(`/ui/object/${APPS}`)))!.text();
  const weight = (s: string) => new TextEncoder().encode(s).length;
  assert.ok(weight(overview) + weight(jsText) < 100_000);
  assert.ok(weight(detail) + weight(jsText) < 100_000);
  console.log(
    `page weight: overview ${weight(overview) + weight(jsText)} B, object ${
      weight(detail) + weight(jsText)
    } B (HTML with inline CSS + script)`,
  );
});
