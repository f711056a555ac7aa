import assert from "node:assert/strict";
import { hmacHex, hookPath, timingSafeEqual, verifyRequest } from "../../../agent/server/mod.ts";

const body = new TextEncoder().encode('{"ref":"refs/heads/main"}');
const token = "token-1234";

Deno.test("timingSafeEqual compares whole contents and lengths", () => {
  const e = new TextEncoder();
  assert.equal(timingSafeEqual(e.encode("abc"), e.encode("abc")), true);
  assert.equal(timingSafeEqual(e.encode("abc"), e.encode("abd")), false);
  assert.equal(timingSafeEqual(e.encode("abc"), e.encode("abcd")), false);
  assert.equal(timingSafeEqual(e.encode(""), e.encode("")), true);
});

Deno.test("github: X-Hub-Signature-256 must be the HMAC of the body", async () => {
  const good = "sha256=" + await hmacHex("SHA-256", token, body);
  const ok = await verifyRequest(
    "github",
    new Headers({ "x-hub-signature-256": good, "x-github-event": "push" }),
    body,
    token,
  );
  assert.deepEqual(ok, { ok: true, event: "push" });
  const bad = await verifyRequest(
    "github",
    new Headers({ "x-hub-signature-256": "sha256=00" }),
    body,
    token,
  );
  assert.equal(bad.ok, false);
  assert.equal(!bad.ok && bad.status, 401);
  const missing = await verifyRequest("github", new Headers(), body, token);
  assert.equal(missing.ok, false);
});

Deno.test("generic-hmac, gitlab, harbor, bitbucket verify their own headers", async () => {
  const sig = "sha256=" + await hmacHex("SHA-256", token, body);
  assert.equal(
    (await verifyRequest("generic-hmac", new Headers({ "x-signature": sig }), body, token)).ok,
    true,
  );
  assert.equal(
    (await verifyRequest("generic-hmac", new Headers({ "x-signature": "sha1=ab" }), body, token))
      .ok,
    false,
  );
  assert.equal(
    (await verifyRequest("gitlab", new Headers({ "x-gitlab-token": token }), body, token)).ok,
    true,
  );
  assert.equal(
    (await verifyRequest("gitlab", new Headers({ "x-gitlab-token": "nope" }), body, token)).ok,
    false,
  );
  assert.equal(
    (await verifyRequest("harbor", new Headers({ authorization: token }), body, token)).ok,
    true,
  );
  assert.equal(
    (await verifyRequest("harbor", new Headers({ authorization: "x" }), body, token)).ok,
    false,
  );
  assert.equal(
    (await verifyRequest(
      "bitbucket",
      new Headers({ "x-hub-signature": sig, "x-event-key": "repo:push" }),
      body,
      token,
    )).ok,
    true,
  );
  assert.equal((await verifyRequest("generic", new Headers(), body, token)).ok, true);
});

Deno.test("dockerhub needs its documented payload", async () => {
  const hub = new TextEncoder().encode(
    '{"push_data":{"tag":"1.2.3"},"repository":{"repo_url":"https://hub.docker.com/r/x/y"}}',
  );
  assert.equal((await verifyRequest("dockerhub", new Headers(), hub, token)).ok, true);
  assert.equal((await verifyRequest("dockerhub", new Headers(), body, token)).ok, false);
});

Deno.test("the hook path is Flux's sha256(token + name + namespace)", async () => {
  // echo -n "token-1234githubflux-system" | sha256sum
  const expected = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode("token-1234githubflux-system"),
  );
  const hex = [...new Uint8Array(expected)].map((b) => b.toString(16).padStart(2, "0")).join("");
  assert.equal(await hookPath(token, "github", "flux-system"), `/hook/${hex}`);
});
