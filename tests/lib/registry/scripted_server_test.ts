// The registry client against a small scripted HTTP server: paging, the bearer-token flow and
// every failure a registry can produce.
import assert from "node:assert/strict";
import { RegistryClient, RegistryError, type RegistryFailure } from "../../../lib/registry/mod.ts";

type Handler = (req: Request, url: URL) => Response | Promise<Response>;

async function withServer(handler: Handler, body: (host: string) => Promise<void>): Promise<void> {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (req) => handler(req, new URL(req.url)),
  );
  try {
    await body(`127.0.0.1:${server.addr.port}`);
  } finally {
    await server.shutdown();
  }
}

const json = (value: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(value), {
    ...init,
    headers: { "content-type": "application/json", ...(init.headers ?? {}) },
  });

function client(options = {}) {
  return new RegistryClient({ insecure: true, ...options });
}

async function expectFailure(p: Promise<unknown>, reason: RegistryFailure, pattern?: RegExp) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof RegistryError, String(e));
    assert.equal(e.reason, reason, e.message);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

Deno.test("follows Link headers across pages, relative and absolute", async () => {
  await withServer((_req, url) => {
    const last = url.searchParams.get("last");
    if (!last) {
      return json({ name: "app", tags: ["a", "b"] }, {
        headers: { link: `</v2/team/app/tags/list?n=2&last=b>; rel="next"` },
      });
    }
    if (last === "b") {
      return json({ name: "app", tags: ["c", "d"] }, {
        headers: { link: `<${url.origin}/v2/team/app/tags/list?n=2&last=d>; rel="next"` },
      });
    }
    return json({ name: "app", tags: ["e"] });
  }, async (host) => {
    const list = await client().listTags(`${host}/team/app`);
    assert.deepEqual(list.tags, ["a", "b", "c", "d", "e"]);
    assert.equal(list.pages, 3);
    assert.equal(list.canonicalName, `${host}/team/app`);
  });
});

Deno.test("a registry that never ends its paging fails with TooManyPages, as does one that loops", async () => {
  let n = 0;
  await withServer((_req, url) => {
    if (url.pathname.includes("loop")) {
      return json({ tags: ["x"] }, { headers: { link: `<${url.pathname}>; rel="next"` } });
    }
    n++;
    return json({ tags: [`t${n}`] }, {
      headers: { link: `</v2/endless/tags/list?last=t${n}>; rel="next"` },
    });
  }, async (host) => {
    await expectFailure(
      client({ maxPages: 50 }).listTags(`${host}/endless`),
      "TooManyPages",
      /50 pages/,
    );
    await expectFailure(client().listTags(`${host}/loop`), "TooManyPages", /links back/);
  });
});

Deno.test("bearer challenge: fetches a scoped token with the credentials once and reuses it", async () => {
  let tokenRequests = 0;
  await withServer((req, url) => {
    if (url.pathname === "/token") {
      tokenRequests++;
      assert.equal(url.searchParams.get("service"), "test-registry");
      assert.equal(url.searchParams.get("scope"), "repository:org/app:pull");
      if (req.headers.get("authorization") !== `Basic ${btoa("alice:s3cret")}`) {
        return new Response("denied", { status: 401 });
      }
      return json({ token: "T0K3N", expires_in: 300 });
    }
    if (req.headers.get("authorization") !== "Bearer T0K3N") {
      return json({ errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] }, {
        status: 401,
        headers: {
          "www-authenticate":
            `Bearer realm="${url.origin}/token",service="test-registry",scope="repository:org/app:pull"`,
        },
      });
    }
    if (!url.searchParams.get("last")) {
      return json({ tags: ["1.0.0"] }, {
        headers: { link: `</v2/org/app/tags/list?last=1.0.0>; rel="next"` },
      });
    }
    return json({ tags: ["1.1.0"] });
  }, async (host) => {
    const c = client();
    const list = await c.listTags(`${host}/org/app`, { username: "alice", password: "s3cret" });
    assert.deepEqual(list.tags, ["1.0.0", "1.1.0"]);
    assert.equal(tokenRequests, 1);
    await expectFailure(
      client().listTags(`${host}/org/app`, { username: "alice", password: "wrong" }),
      "Unauthorized",
      /token service .* refused a token \(401/,
    );
    await expectFailure(
      client().listTags(`${host}/org/app`),
      "Unauthorized",
      /no credentials were given/,
    );
  });
});

Deno.test("basic challenge: sends the credentials; wrong ones are Unauthorized", async () => {
  await withServer((req) => {
    if (req.headers.get("authorization") === `Basic ${btoa("bob:pw")}`) {
      return json({ tags: ["v1"] });
    }
    return new Response(null, { status: 401, headers: { "www-authenticate": 'Basic realm="r"' } });
  }, async (host) => {
    assert.deepEqual(
      (await client().listTags(`${host}/x`, { username: "bob", password: "pw" })).tags,
      ["v1"],
    );
    await expectFailure(client().listTags(`${host}/x`), "Unauthorized", /requires a user name/);
    await expectFailure(
      client().listTags(`${host}/x`, { username: "bob", password: "no" }),
      "Unauthorized",
      /check the credentials/,
    );
  });
});

Deno.test("404, 429 with Retry-After, 5xx and garbage are reported clearly", async () => {
  await withServer((_req, url) => {
    switch (url.pathname.split("/")[2]) {
      case "missing":
        return json({
          errors: [{ code: "NAME_UNKNOWN", message: "repository name not known to registry" }],
        }, {
          status: 404,
        });
      case "busy":
        return json({ errors: [{ code: "TOOMANYREQUESTS", message: "slow down" }] }, {
          status: 429,
          headers: { "retry-after": "7" },
        });
      case "broken":
        return new Response("upstream failed", { status: 503 });
      case "garbage":
        return new Response("<html>not json</html>", { status: 200 });
      case "shape":
        return json({ tags: [1, 2] });
      default:
        return json({ tags: null });
    }
  }, async (host) => {
    await expectFailure(
      client().listTags(`${host}/missing`),
      "NotFound",
      /404: NAME_UNKNOWN: repository name not known/,
    );
    await assert.rejects(client().listTags(`${host}/busy`), (e: RegistryError) => {
      assert.equal(e.reason, "RateLimited");
      assert.equal(e.details.retryAfterSeconds, 7);
      assert.match(e.message, /retry after 7s/);
      return true;
    });
    await expectFailure(client().listTags(`${host}/broken`), "ServerError", /503/);
    await expectFailure(client().listTags(`${host}/garbage`), "InvalidResponse", /not JSON/);
    await expectFailure(client().listTags(`${host}/shape`), "InvalidResponse", /no "tags" array/);
    assert.deepEqual((await client().listTags(`${host}/empty`)).tags, []);
  });
});

Deno.test("a registry that does not answer in time fails with Timeout; a closed port with Network", async () => {
  let release!: () => void;
  const hold = new Promise<void>((r) => (release = r));
  await withServer(async () => {
    await hold;
    return json({ tags: [] });
  }, async (host) => {
    await expectFailure(
      client({ timeoutMs: 200 }).listTags(`${host}/slow`),
      "Timeout",
      /within 0.2s/,
    );
    release();
  });
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (closed.addr as Deno.NetAddr).port;
  closed.close();
  await expectFailure(client().listTags(`127.0.0.1:${port}/app`), "Network", /cannot reach/);
});

Deno.test("manifest digest from HEAD, or by hashing the manifest when the header is missing", async () => {
  const manifest = JSON.stringify({ schemaVersion: 2 });
  await withServer((req, url) => {
    assert.match(req.headers.get("accept") ?? "", /application\/vnd\.oci\.image\.index\.v1\+json/);
    if (url.pathname.includes("with-header")) {
      return new Response(req.method === "HEAD" ? null : manifest, {
        headers: { "docker-content-digest": "sha256:" + "a".repeat(64) },
      });
    }
    return new Response(req.method === "HEAD" ? null : manifest);
  }, async (host) => {
    assert.equal(
      await client().manifestDigest(`${host}/with-header:v1`),
      "sha256:" + "a".repeat(64),
    );
    const hash = new Uint8Array(
      await crypto.subtle.digest("SHA-256", new TextEncoder().encode(manifest)),
    );
    const hex = Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
    assert.equal(await client().manifestDigest(`${host}/no-header:v1`), `sha256:${hex}`);
  });
});

Deno.test("a blob or manifest whose bytes do not match the digest is refused", async () => {
  await withServer((_req, url) => {
    if (url.pathname.includes("/blobs/")) return new Response("tampered");
    return new Response(JSON.stringify({ schemaVersion: 2 }));
  }, async (host) => {
    const digest = "sha256:" + "1".repeat(64);
    await expectFailure(client().blob(`${host}/app`, digest), "InvalidResponse", /does not match/);
    await expectFailure(
      client().manifest(`${host}/app@${digest}`),
      "InvalidResponse",
      /does not match/,
    );
    const m = await client().manifest(`${host}/app:v1`);
    assert.deepEqual(m.json, { schemaVersion: 2 });
  });
});
