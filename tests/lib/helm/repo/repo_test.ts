// A Helm repository served by a small HTTP server: index.yaml with an ETag and basic auth,
// chart archives next to it.
import assert from "node:assert/strict";
import { toYaml } from "../../../../lib/helm/engine/mod.ts";
import {
  RepoCache,
  RepoError,
  resolveChart,
  scanIndex,
  selectVersion,
} from "../../../../lib/helm/repo/mod.ts";
import { loadChartArchive } from "../../../../lib/helm/chart/mod.ts";
import { chartEntries, tgz } from "../../../support/tar_writer.ts";

async function sha256(bytes: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

interface Repo {
  url: string;
  indexRequests: number;
  notModified: number;
  close(): Promise<void>;
}

async function serveRepo(options: { auth?: string; corruptDigest?: boolean } = {}): Promise<Repo> {
  const charts = new Map<string, Uint8Array>();
  const entries: Record<string, unknown[]> = {};
  for (
    const [name, versions] of Object.entries({
      web: ["1.2.0", "1.3.0", "1.4.0-rc.1", "2.0.0"],
      db: ["0.1.0"],
    })
  ) {
    entries[name] = [];
    for (const v of versions) {
      const bytes = await tgz(
        chartEntries(name).map((e) =>
          e.name.endsWith("Chart.yaml")
            ? { ...e, data: `apiVersion: v2\nname: ${name}\nversion: ${v}\n` }
            : e
        ),
      );
      const file = `charts/${name}-${v}.tgz`;
      charts.set(`/${file}`, bytes);
      entries[name].push({
        apiVersion: "v2",
        name,
        version: v,
        digest: options.corruptDigest ? "0".repeat(64) : await sha256(bytes),
        urls: [file],
        created: "2024-01-01T00:00:00Z",
        description:
          `The ${name} chart, a description long enough to be folded by the YAML writer at eighty columns`,
      });
    }
  }
  const index = toYaml({ apiVersion: "v1", entries, generated: "2024-01-01T00:00:00Z" }) + "\n";
  const etag = `"${(await sha256(new TextEncoder().encode(index))).slice(0, 16)}"`;
  const repo = { url: "", indexRequests: 0, notModified: 0, close: async () => {} };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    if (options.auth && req.headers.get("authorization") !== `Basic ${btoa(options.auth)}`) {
      return new Response("unauthorized", { status: 401 });
    }
    const path = new URL(req.url).pathname;
    if (path === "/index.yaml") {
      repo.indexRequests++;
      if (req.headers.get("if-none-match") === etag) {
        repo.notModified++;
        return new Response(null, { status: 304 });
      }
      return new Response(index, { headers: { ETag: etag } });
    }
    const chart = charts.get(path);
    return chart
      ? new Response(chart as Uint8Array<ArrayBuffer>)
      : new Response("not found", { status: 404 });
  });
  repo.url = `http://127.0.0.1:${server.addr.port}`;
  repo.close = () => server.shutdown();
  return repo;
}

Deno.test("resolves constraints as Helm does and downloads the digest-checked archive", async () => {
  const repo = await serveRepo();
  try {
    const cache = new RepoCache();
    const caret = await resolveChart(repo.url, "web", "^1.2", undefined, { cache });
    assert.equal(caret.version, "1.3.0"); // 1.4.0-rc.1 is a pre-release, 2.0.0 out of range
    assert.equal(caret.url, `${repo.url}/charts/web-1.3.0.tgz`);
    const chart = await loadChartArchive(caret.archive, caret.url);
    assert.equal(chart.metadata.version, "1.3.0");
    assert.equal((await resolveChart(repo.url, "web", "", undefined, { cache })).version, "2.0.0");
    assert.equal(
      (await resolveChart(repo.url, "web", ">=1, <2", undefined, { cache })).version,
      "1.3.0",
    );
    assert.equal(
      (await resolveChart(repo.url, "web", "~1.4.0-0", undefined, { cache })).version,
      "1.4.0-rc.1",
    );
    assert.equal(
      (await resolveChart(repo.url, "web", "1.2.0", undefined, { cache })).version,
      "1.2.0",
    );
    assert.equal(
      (await resolveChart(repo.url, "db", "0.1.x", undefined, { cache })).version,
      "0.1.0",
    );
    await assert.rejects(
      () => resolveChart(repo.url, "web", "^3", undefined, { cache }),
      /no chart version found for web-\^3/,
    );
    await assert.rejects(
      () => resolveChart(repo.url, "nope", "", undefined, { cache }),
      /chart "nope" not found/,
    );
    // The index was downloaded once per new chart name; later lookups were answered 304.
    assert.ok(repo.notModified >= 5, `304 answers: ${repo.notModified}`);
  } finally {
    await repo.close();
  }
});

Deno.test("sends basic auth to the repository and fails clearly without it", async () => {
  const repo = await serveRepo({ auth: "alice:s3cret" });
  try {
    await assert.rejects(
      () => resolveChart(repo.url, "web", "^1", undefined, { cache: new RepoCache() }),
      /401/,
    );
    const got = await resolveChart(
      repo.url,
      "web",
      "^1",
      { username: "alice", password: "s3cret" },
      {
        cache: new RepoCache(),
      },
    );
    assert.equal(got.version, "1.3.0");
  } finally {
    await repo.close();
  }
});

Deno.test("refuses an archive whose digest does not match the index", async () => {
  const repo = await serveRepo({ corruptDigest: true });
  try {
    await assert.rejects(
      () => resolveChart(repo.url, "web", "^1", undefined, { cache: new RepoCache() }),
      (e) => e instanceof RepoError && /digest mismatch/.test(e.message),
    );
  } finally {
    await repo.close();
  }
});

Deno.test("keeps a persistent cache of index entries and archives", async () => {
  const repo = await serveRepo();
  const dir = await Deno.makeTempDir();
  try {
    await resolveChart(repo.url, "web", "^1", undefined, { cache: new RepoCache(dir) });
    const before = repo.indexRequests;
    const again = await resolveChart(repo.url, "web", "^1", undefined, {
      cache: new RepoCache(dir),
    });
    assert.equal(again.version, "1.3.0");
    assert.equal(repo.indexRequests, before + 1);
    assert.ok(repo.notModified >= 1);
  } finally {
    await repo.close();
    await Deno.remove(dir, { recursive: true });
  }
});

function stream(text: string, chunk = 7): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.subarray(at, at + chunk));
      at += chunk;
    },
  });
}

Deno.test("scans only the wanted charts of an index, in block or JSON form", async () => {
  const text = [
    "apiVersion: v1",
    "entries:",
    "  alpha:",
    "  - name: alpha",
    "    version: 1.0.0",
    "    urls:",
    "    - alpha-1.0.0.tgz",
    "    description: |",
    "      multi-line",
    "      text",
    '  "beta":',
    "  - name: beta",
    "    version: 2.0.0",
    "    urls: [beta-2.0.0.tgz]",
    "  gamma: []",
    "generated: now",
    "",
  ].join("\n");
  const scanned = await scanIndex("r", stream(text), ["alpha", "beta", "missing"]);
  assert.equal(scanned.apiVersion, "v1");
  assert.deepEqual([...scanned.entries.keys()].sort(), ["alpha", "beta"]);
  assert.equal(scanned.entries.get("alpha")![0].description, "multi-line\ntext\n");
  assert.deepEqual(scanned.entries.get("beta")![0].urls, ["beta-2.0.0.tgz"]);
  const json = JSON.stringify({
    apiVersion: "v1",
    entries: { alpha: [{ name: "alpha", version: "1.0.0", urls: [] }] },
  });
  assert.equal(
    (await scanIndex("r", stream(json), ["alpha"])).entries.get("alpha")![0].version,
    "1.0.0",
  );
});

Deno.test("selects exact versions first and skips versions that do not parse", () => {
  const v = (version: string) => ({ name: "x", version, urls: [] });
  assert.equal(selectVersion([v("not-semver"), v("1.0.0"), v("v1.1.0")], "")?.version, "v1.1.0");
  assert.equal(selectVersion([v("1.0.0"), v("1.0")], "1.0")?.version, "1.0");
  assert.equal(selectVersion([v("2.0.0-beta.1")], "")?.version, undefined);
});
