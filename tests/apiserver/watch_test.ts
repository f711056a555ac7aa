import assert from "node:assert/strict";
import { startApiServer } from "./mod.ts";
import { readEvents } from "./testing/watch.ts";

Deno.test("watch streams changes, resumes from a resourceVersion, and answers 410 for old ones", async () => {
  const server = await startApiServer({ tls: false });
  const headers = {
    authorization: `Bearer ${server.adminToken}`,
    "content-type": "application/json",
  };
  const base = `${server.url}/api/v1/namespaces/default/configmaps`;
  const create = async (name: string) =>
    await (await fetch(base, {
      method: "POST",
      headers,
      body: JSON.stringify({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name, labels: { w: "1" } },
      }),
    })).json();
  try {
    const first = await create("one");
    const rv = first.metadata.resourceVersion;
    const watch = await fetch(`${base}?watch=true&labelSelector=w%3D1&resourceVersion=${rv}`, {
      headers,
    });
    assert.equal(watch.status, 200);
    await create("two");
    await fetch(`${base}/two`, { method: "DELETE", headers });
    const events = await readEvents(watch, 2);
    assert.deepEqual(events.map((e) => `${e.type} ${e.object.metadata.name}`), [
      "ADDED two",
      "DELETED two",
    ]);

    const relabel = await fetch(
      `${base}?watch=true&labelSelector=w%3D1&resourceVersion=${server.store.resourceVersion}`,
      { headers },
    );
    const patch = (labels: Record<string, string>) =>
      fetch(`${base}/one`, {
        method: "PATCH",
        headers: { ...headers, "content-type": "application/merge-patch+json" },
        body: JSON.stringify({ metadata: { labels } }),
      }).then((r) => r.body?.cancel());
    await patch({ w: "2" });
    await patch({ w: "1" });
    await patch({ w: "1", x: "y" });
    const moves = await readEvents(relabel, 3);
    assert.deepEqual(moves.map((e) => e.type), ["DELETED", "ADDED", "MODIFIED"]);

    const fromScratch = await fetch(`${base}?watch=1&labelSelector=w%3D1`, { headers });
    const initial = await readEvents(fromScratch, 1);
    assert.deepEqual(initial.map((e) => `${e.type} ${e.object.metadata.name}`), ["ADDED one"]);

    const replay = await fetch(`${base}?watch=true&labelSelector=w%3D1&resourceVersion=${rv}`, {
      headers,
    });
    const replayed = await readEvents(replay, 2);
    assert.deepEqual(replayed.map((e) => e.type), ["ADDED", "DELETED"]);

    server.store.compact();
    const gone = await fetch(`${base}?watch=true&resourceVersion=${rv}`, { headers });
    const [err] = await readEvents(gone, 1);
    assert.equal(err.type, "ERROR");
    assert.equal(err.object.code, 410);
    assert.equal(err.object.reason, "Expired");

    const single = await fetch(
      `${server.url}/api/v1/watch/namespaces/default/configmaps/one?resourceVersion=0`,
      { headers },
    );
    const [one] = await readEvents(single, 1);
    assert.equal(one.object.metadata.name, "one");

    // Timed from before the request: the server's second starts when it gets the request, and
    // on a loaded machine the response head can take a while to come back.
    const started = Date.now();
    const timed = await fetch(
      `${base}?watch=true&timeoutSeconds=1&resourceVersion=${server.store.resourceVersion}`,
      { headers },
    );
    assert.deepEqual(await readEvents(timed, 1), []);
    assert.ok(Date.now() - started >= 900);

    const bookmarks = await fetch(
      `${base}?watch=true&labelSelector=w%3D1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan`,
      { headers },
    );
    const withBookmark = await readEvents(bookmarks, 2);
    assert.equal(withBookmark[1].type, "BOOKMARK");
  } finally {
    await server.stop();
  }
});
