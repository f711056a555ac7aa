// The status page protected by Agent spec.server.statusPage.authSecretRef: the agent reads the
// Secret from its own namespace on the API emulator at start, asks for credentials on /ui/,
// keeps /healthz open, masks the credentials in its logs; `enabled: false` serves no page; a
// missing Secret stops the start instead of serving the page open.
import assert from "node:assert/strict";
import { MASK } from "../../lib/log/mod.ts";
import { e2eOpts as opts, gitRepository, startWorld, type World } from "./harness.ts";

const NAMESPACE = "skiff-system";
const PASSWORD = "s3cret-page-password";
const TOKEN = "page-bearer-token-1";

const agentDoc = (statusPage: string) =>
  `apiVersion: skiff.dev/v1alpha1
kind: Agent
spec:
  namespace: ${NAMESPACE}
  server: {statusPage: ${statusPage}}
`;

async function get(
  port: number | undefined,
  path: string,
  authorization?: string,
): Promise<{ status: number; body: string; challenge: string | null }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    headers: authorization ? { authorization } : {},
    redirect: "manual",
  });
  return {
    status: res.status,
    body: await res.text(),
    challenge: res.headers.get("www-authenticate"),
  };
}

async function withWorld(statusPage: string, test: (world: World) => Promise<void>) {
  const world = await startWorld(
    { "README.md": "nothing to apply\n" },
    (url) => [agentDoc(statusPage), gitRepository(url, "1h")].join("---\n"),
  );
  try {
    world.api.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE } });
    await test(world);
  } finally {
    await world.stop();
  }
}

Deno.test(
  "the status page asks for the credentials of its Secret; /healthz stays open",
  opts,
  () =>
    withWorld("{authSecretRef: {name: status-page-auth}}", async (world) => {
      world.api.store.create({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "status-page-auth", namespace: NAMESPACE },
        data: { username: btoa("ops"), password: btoa(PASSWORD), token: btoa(TOKEN) },
      });
      const agent = await world.startAgent();

      const anonymous = await get(agent.port, "/ui/");
      assert.equal(anonymous.status, 401);
      assert.match(anonymous.challenge ?? "", /^Basic realm="skiff status"/);
      assert.doesNotMatch(anonymous.body, /fleet/);
      assert.equal((await get(agent.port, "/")).status, 401);
      assert.equal((await get(agent.port, "/ui/", `Basic ${btoa("ops:wrong")}`)).status, 401);
      assert.equal((await get(agent.port, "/ui/", "Bearer wrong-token")).status, 401);

      const basic = await get(agent.port, "/ui/", `Basic ${btoa(`ops:${PASSWORD}`)}`);
      assert.equal(basic.status, 200);
      assert.match(basic.body, /data-page="overview"/);
      assert.match(basic.body, /fleet/);
      assert.equal((await get(agent.port, "/ui/", `Bearer ${TOKEN}`)).status, 200);

      const health = await get(agent.port, "/healthz");
      assert.deepEqual([health.status, health.body], [200, "ok\n"]);

      // The credentials are registered with the logger: a log line carrying them is masked.
      agent.core.logger.info("probe", { password: PASSWORD, token: TOKEN });
      const probe = world.logs.find((l) => l.includes("probe"));
      assert.ok(probe?.includes(MASK), probe);
      assert.ok(!world.logs.some((l) => l.includes(PASSWORD) || l.includes(TOKEN)));
    }),
);

Deno.test(
  "statusPage.enabled: false serves no page, the rest of the server stays",
  opts,
  () =>
    withWorld("{enabled: false}", async (world) => {
      const agent = await world.startAgent();
      assert.equal((await get(agent.port, "/ui/")).status, 404);
      assert.equal((await get(agent.port, "/")).status, 404);
      assert.equal((await get(agent.port, "/healthz")).status, 200);
      assert.equal((await get(agent.port, "/api/v1/status")).status, 200);
    }),
);

Deno.test(
  "a missing auth Secret stops the start rather than serving the page open",
  opts,
  () =>
    withWorld("{authSecretRef: {name: not-created}}", async (world) => {
      await assert.rejects(
        () => world.startAgent(),
        (e: unknown) =>
          e instanceof Error &&
          e.message ===
            "Agent spec.server.statusPage.authSecretRef: Secret skiff-system/not-created does not exist",
      );
    }),
);
