import assert from "node:assert/strict";
import {
  createStatusPage,
  StatusPageAuthError,
  statusPageAuthFromSecret,
} from "../../../agent/ui/mod.ts";
import { fleet } from "./fixture.ts";

const basic = (user: string, pass: string) => `Basic ${btoa(`${user}:${pass}`)}`;

async function status(auth: Parameters<typeof createStatusPage>[1], header?: string) {
  const handle = createStatusPage(fleet().source, auth);
  const headers = header ? { authorization: header } : undefined;
  const res = (await handle(new Request("http://127.0.0.1/ui/", { headers })))!;
  await res.body?.cancel();
  return res;
}

Deno.test("basic auth: the right user and password get in, anything else gets 401", async () => {
  const auth = { auth: { basic: { username: "ops", password: "pa:ss" } } };
  const denied = await status(auth);
  assert.equal(denied.status, 401);
  assert.match(denied.headers.get("www-authenticate")!, /^Basic realm="skiff status"/);
  assert.equal((await status(auth, basic("ops", "pa:ss"))).status, 200);
  assert.equal((await status(auth, basic("ops", "wrong"))).status, 401);
  assert.equal((await status(auth, basic("other", "pa:ss"))).status, 401);
  assert.equal((await status(auth, "Basic !!!not-base64")).status, 401);
  assert.equal((await status(auth, "Bearer pa:ss")).status, 401);
});

Deno.test("bearer token: only the exact token gets in", async () => {
  const auth = { auth: { bearerToken: "t0ken-value" } };
  const denied = await status(auth);
  assert.equal(denied.status, 401);
  assert.match(denied.headers.get("www-authenticate")!, /^Bearer/);
  assert.equal((await status(auth, "Bearer t0ken-value")).status, 200);
  assert.equal((await status(auth, "Bearer t0ken-valu")).status, 401);
  assert.equal((await status(auth, "Bearer t0ken-value2")).status, 401);
});

Deno.test("without auth configured the page is open; other paths are never challenged", async () => {
  assert.equal((await status({})).status, 200);
  const handle = createStatusPage(fleet().source, { auth: { bearerToken: "x" } });
  assert.equal(await handle(new Request("http://127.0.0.1/healthz")), undefined);
});

Deno.test("credentials come from a Secret's data or stringData", () => {
  const secret = (data: Record<string, string>, stringData?: Record<string, string>) => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "ui-auth", namespace: "flux-system" },
    data,
    stringData,
  });
  assert.deepEqual(
    statusPageAuthFromSecret(secret({ username: btoa("ops"), password: btoa("pw") })),
    {
      basic: { username: "ops", password: "pw" },
      bearerToken: undefined,
    },
  );
  assert.deepEqual(statusPageAuthFromSecret(secret({}, { token: "abc" })), {
    basic: undefined,
    bearerToken: "abc",
  });
  assert.throws(
    () => statusPageAuthFromSecret(secret({ username: btoa("ops") })),
    (e: unknown) =>
      e instanceof StatusPageAuthError &&
      /flux-system\/ui-auth: basic auth needs both/.test(e.message),
  );
  assert.throws(() => statusPageAuthFromSecret(secret({})), /expected data.username/);
  assert.throws(
    () => statusPageAuthFromSecret(secret({ token: "%%%" })),
    /data.token is not valid base64/,
  );
});
