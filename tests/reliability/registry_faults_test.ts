// Registry faults at the library level, against Debian's docker-registry (htpasswd auth) behind
// a fault proxy: down, 401, 429 storms, garbage JSON and endless pagination. Each fails with its
// typed reason and never a partial tag list (so a caller keeps its last good tags), and no
// message carries the registry credentials.
import assert from "node:assert/strict";
import { RegistryClient, type RegistryCredentials, RegistryError } from "../../lib/registry/mod.ts";
import { pushImage, startRegistry } from "../support/registry.ts";
import { freePort } from "../support/process.ts";
import { type FaultProxy, startFaultProxy } from "./fault_proxy.ts";
import { recordScenario } from "./record.ts";
import { leakScanner, TEST_SECRETS } from "./secrets.ts";

const e2e = { sanitizeResources: false, sanitizeOps: false };
const leaks = leakScanner();

async function fails(
  client: RegistryClient,
  image: string,
  credentials: RegistryCredentials,
  reason: RegistryError["reason"],
): Promise<RegistryError> {
  let error: unknown;
  let result: unknown;
  try {
    result = await client.listTags(image, credentials);
  } catch (e) {
    error = e;
  }
  assert.equal(result, undefined, "no partial tag list is returned");
  assert.ok(error instanceof RegistryError, `expected RegistryError, got ${error}`);
  assert.equal(error.reason, reason, error.message);
  leaks.scan(`registry ${reason}`, error.message, String(error.cause ?? ""));
  return error;
}

Deno.test({
  name: "registry down, 401, 429, garbage JSON, endless pages: typed failures, nothing partial",
  ...e2e,
  fn: async () => {
    const credentials = { username: "bot", password: TEST_SECRETS.registryPassword };
    const registry = await startRegistry({
      auth: "htpasswd",
      users: { bot: TEST_SECRETS.registryPassword },
    });
    let proxy: FaultProxy | undefined;
    const client = new RegistryClient({ insecure: true, timeoutMs: 10_000, maxPages: 50 });
    try {
      await pushImage(registry, "team/app", ["1.0.0", "1.1.0"], { credentials });
      proxy = await startFaultProxy(registry.url);
      const image = `${proxy.origin.replace("http://", "")}/team/app`;
      const good = await client.listTags(image, credentials);
      assert.deepEqual(good.tags.sort(), ["1.0.0", "1.1.0"]);
      let faults = 0;

      await fails(client, `127.0.0.1:${freePort()}/team/app`, credentials, "Network");
      faults++;

      // A rotated password: the registry's own 401.
      // (A fresh client: the first one keeps the authorization it already negotiated.)
      const fresh = new RegistryClient({ insecure: true, timeoutMs: 10_000 });
      await fails(fresh, image, { ...credentials, password: "rotated-elsewhere" }, "Unauthorized");
      fresh.close();
      faults++;

      proxy.rule = (_req, url) =>
        url.pathname.endsWith("/tags/list")
          ? new Response('{"errors":[{"code":"TOOMANYREQUESTS"}]}', {
            status: 429,
            headers: { "retry-after": "30", "content-type": "application/json" },
          })
          : undefined;
      const limited = await fails(client, image, credentials, "RateLimited");
      assert.equal(limited.details.retryAfterSeconds, 30);

      proxy.rule = (_req, url) =>
        url.pathname.endsWith("/tags/list")
          ? new Response("<html>gateway</html>{not json", {
            status: 200,
            headers: { "content-type": "application/json" },
          })
          : undefined;
      await fails(client, image, credentials, "InvalidResponse");

      let page = 0;
      proxy.rule = (_req, url) =>
        url.pathname.endsWith("/tags/list")
          ? Response.json({ name: "team/app", tags: [`t${page}`] }, {
            headers: { link: `</v2/team/app/tags/list?last=t${page}&n=${++page}>; rel="next"` },
          })
          : undefined;
      await fails(client, image, credentials, "TooManyPages");

      // Faults over: the same client lists the tags again.
      proxy.rule = undefined;
      assert.deepEqual((await client.listTags(image, credentials)).tags.sort(), good.tags.sort());
      assert.equal(leaks.found, 0, leaks.places.join(", "));
      await recordScenario("registry-faults", {
        faultsInjected: faults + proxy.faults,
        secretsLeaked: leaks.found,
      });
    } finally {
      client.close();
      await proxy?.stop();
      await registry.stop();
    }
  },
});
