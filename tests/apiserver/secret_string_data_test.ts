// A Secret's stringData is folded into data on every write and never stored, as the real server's
// v1 → internal conversion does; managedFields follow from where the fold happens (Updates see
// data, Applies keep the applied stringData keys). kubectl checks the wire behaviour end to end.
import assert from "node:assert/strict";
import type { EmulatorClient } from "./testing/client.ts";
import { runKubectl } from "./testing/kubectl.ts";
import { withEmulator } from "./testing/with_emulator.ts";

const SECRETS = "/api/v1/namespaces/default/secrets";
const b64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));

interface Entry {
  manager: string;
  operation: string;
  fieldsV1: Record<string, Record<string, unknown>>;
}

function entryOf(secret: { metadata: { managedFields: Entry[] } }, manager: string): Entry {
  const e = secret.metadata.managedFields.find((m) => m.manager === manager);
  assert.ok(e, `no managedFields entry for ${manager}`);
  return e;
}

function withServer(fn: (c: EmulatorClient) => Promise<void>): Promise<void> {
  return withEmulator({ rolloutDelayMs: 20 }, fn);
}

Deno.test("create folds stringData into data, stringData winning, and records f:data", async () => {
  await withServer(async (c) => {
    const created = await c.post(`${SECRETS}?fieldManager=test`, {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "db" },
      data: { user: b64("root"), host: b64("db.local") },
      stringData: { user: "admin", password: "pässwörd" },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const got = (await c.get(`${SECRETS}/db`)).body;
    assert.equal(got.stringData, undefined);
    assert.deepEqual(got.data, {
      host: b64("db.local"),
      password: b64("pässwörd"),
      user: b64("admin"),
    });
    assert.equal(got.type, "Opaque");
    const fields = entryOf(got, "test").fieldsV1;
    assert.deepEqual(Object.keys(fields["f:data"]).sort(), [".", "f:host", "f:password", "f:user"]);
    assert.equal(fields["f:stringData"], undefined);
  });
});

Deno.test("update and merge patch fold stringData; a non-string value is a 400", async () => {
  await withServer(async (c) => {
    await c.post(SECRETS, { apiVersion: "v1", kind: "Secret", metadata: { name: "s" } });
    const live = (await c.get(`${SECRETS}/s`)).body;
    const put = await c.put(`${SECRETS}/s`, { ...live, stringData: { a: "1" } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual([put.body.data, put.body.stringData], [{ a: b64("1") }, undefined]);
    const patched = await c.patch(
      `${SECRETS}/s`,
      { stringData: { b: "2" } },
      "application/merge-patch+json",
    );
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(patched.body.data, { a: b64("1"), b: b64("2") });
    assert.equal(patched.body.stringData, undefined);
    const bad = await c.patch(
      `${SECRETS}/s`,
      { stringData: { c: 3 } },
      "application/merge-patch+json",
    );
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /Secret\.stringData of type string/);
  });
});

Deno.test("server-side apply owns f:stringData keys while data holds the values", async () => {
  await withServer(async (c) => {
    const config = (stringData: Record<string, string>) => ({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "app" },
      stringData,
    });
    const first = await c.apply(`${SECRETS}/app`, config({ token: "t1", extra: "x" }), "skiff");
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.stringData, undefined);
    assert.deepEqual(first.body.data, { extra: b64("x"), token: b64("t1") });
    const owned = entryOf(first.body, "skiff");
    assert.equal(owned.operation, "Apply");
    assert.deepEqual(owned.fieldsV1, {
      "f:stringData": { "f:extra": {}, "f:token": {} },
    });

    // The same configuration again changes nothing: no new resourceVersion.
    const again = await c.apply(`${SECRETS}/app`, config({ token: "t1", extra: "x" }), "skiff");
    assert.equal(again.body.metadata.resourceVersion, first.body.metadata.resourceVersion);

    // A key dropped from stringData stays in data: nobody owns data.extra, so nothing prunes it.
    const dropped = await c.apply(`${SECRETS}/app`, config({ token: "t2" }), "skiff");
    assert.deepEqual(dropped.body.data, { extra: b64("x"), token: b64("t2") });
    assert.deepEqual(entryOf(dropped.body, "skiff").fieldsV1, {
      "f:stringData": { "f:token": {} },
    });

    // The stored object never has stringData, so a second applier of the same key always adds
    // it anew: a conflict even with an equal value.
    const other = await c.apply(`${SECRETS}/app`, config({ token: "t2" }), "other");
    assert.equal(other.status, 409, JSON.stringify(other.body));
    assert.match(other.body.message, /conflict with "skiff": \.stringData\.token/);
  });
});

const KUBECTL = "/usr/bin/kubectl";

async function kubectl(
  kubeconfig: string,
  home: string,
  args: string[],
  stdin?: string,
): Promise<string> {
  const out = await runKubectl(KUBECTL, kubeconfig, home, args, stdin);
  assert.equal(out.code, 0, `kubectl ${args.join(" ")}:\n${out.stderr}`);
  return out.stdout;
}

const MANIFEST = `
apiVersion: v1
kind: Secret
metadata:
  name: web
  namespace: default
data:
  user: ${b64("root")}
stringData:
  user: admin
  password: hunter2
`;

Deno.test({
  name: "kubectl: create --from-literal, apply and apply --server-side never show stringData",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    try {
      await Deno.stat(KUBECTL);
    } catch {
      console.log(`skipped: ${KUBECTL} is absent on this machine`);
      return;
    }
    await withServer(async (c) => {
      const home = await Deno.makeTempDir({ prefix: "kubectl-secret-" });
      const run = (args: string[], stdin?: string) =>
        kubectl(c.server.kubeconfigPath, home, args, stdin);
      const getJson = async (name: string) =>
        JSON.parse(
          await run(["get", "secret", name, "-o", "json", "--show-managed-fields"]),
        );
      try {
        await run(["create", "secret", "generic", "lit", "--from-literal=k=v"]);
        const lit = await getJson("lit");
        assert.deepEqual([lit.data, lit.stringData], [{ k: b64("v") }, undefined]);

        await run(["apply", "-f", "-"], MANIFEST);
        const csa = await getJson("web");
        assert.equal(csa.stringData, undefined);
        assert.deepEqual(csa.data, { password: b64("hunter2"), user: b64("admin") });
        // Client-side apply sends stringData again each time (the live object lacks it), and
        // the result stays the same.
        await run(["apply", "-f", "-"], MANIFEST);
        assert.deepEqual((await getJson("web")).data, csa.data);

        await run(["apply", "--server-side", "--force-conflicts", "-f", "-"], MANIFEST);
        const ssa = await getJson("web");
        assert.equal(ssa.stringData, undefined);
        assert.deepEqual(ssa.data, csa.data);
        const applied = entryOf(ssa, "kubectl");
        assert.equal(applied.operation, "Apply");
        assert.deepEqual(Object.keys(applied.fieldsV1["f:stringData"]).sort(), [
          "f:password",
          "f:user",
        ]);
      } finally {
        await Deno.remove(home, { recursive: true }).catch(() => {});
      }
    });
  },
});
