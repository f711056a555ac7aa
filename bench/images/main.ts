// bench/images: the two budgets of the image automation issue, measured on this machine.
//   1. a repository with 10,000 tags (100 pages of 100, Link-paged like Docker Hub) scanned
//      through the registry client and a semver policy (and a filtered numerical one) evaluated:
//      under 1 s.
//   2. setters over a tree of 2,000 YAML files (every file marked, half of them changing):
//      under 2 s.
// Prints each time and its ratio to the budget (< 1.00 is within budget).
import { applySetters, selectLatest } from "../../lib/images/mod.ts";
import { RegistryClient } from "../../lib/registry/mod.ts";

const TAGS = 10_000;
const PAGE = 100;
const FILES = 2_000;

function report(name: string, ms: number, budgetMs: number): boolean {
  const ratio = ms / budgetMs;
  console.log(
    `${name.padEnd(58)} ${ms.toFixed(0).padStart(6)} ms   budget ${budgetMs} ms   ratio ${
      ratio.toFixed(2)
    }`,
  );
  return ratio < 1;
}

async function benchScan(): Promise<boolean> {
  const tags = Array.from({ length: TAGS }, (_, i) => {
    const major = Math.floor(i / 1000);
    const minor = Math.floor(i / 10) % 100;
    const patch = i % 10;
    return i % 7 === 0
      ? `build-${i}`
      : i % 5 === 0
      ? `v${major}.${minor}.${patch}-rc.1`
      : `${major}.${minor}.${patch}`;
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const url = new URL(req.url);
    const start = Number(url.searchParams.get("last") ?? "0");
    const page = tags.slice(start, start + PAGE);
    const headers = new Headers({ "content-type": "application/json" });
    if (start + PAGE < tags.length) {
      headers.set("link", `</v2/bench/app/tags/list?n=${PAGE}&last=${start + PAGE}>; rel="next"`);
    }
    return new Response(JSON.stringify({ name: "bench/app", tags: page }), { headers });
  });
  let ok = true;
  try {
    const host = `127.0.0.1:${server.addr.port}`;
    for (const round of [1, 2]) {
      const client = new RegistryClient({ insecure: true });
      const t0 = performance.now();
      const list = await client.listTags(`${host}/bench/app`);
      const t1 = performance.now();
      const latest = selectLatest({ policy: { semver: { range: ">=1.0.0 <9.50.0" } } }, list.tags);
      const builds = selectLatest({
        policy: { numerical: { order: "asc" } },
        filterTags: { pattern: "^build-(?P<n>[0-9]+)$", extract: "$n" },
      }, list.tags);
      const t2 = performance.now();
      client.close();
      if (list.tags.length !== TAGS || latest !== "9.49.8" || builds !== "build-9996") {
        throw new Error(`wrong result: ${list.tags.length} tags, ${latest}, ${builds}`);
      }
      console.log(
        `  round ${round}: ${list.pages} pages listed in ${(t1 - t0).toFixed(0)} ms, policies ${
          (t2 - t1).toFixed(0)
        } ms`,
      );
      ok = report(
        `scan ${TAGS} tags (${list.pages} pages) + 2 policies, round ${round}`,
        t2 - t0,
        1000,
      ) && ok;
    }
  } finally {
    await server.shutdown();
  }
  return ok;
}

async function benchSetters(): Promise<boolean> {
  const dir = await Deno.makeTempDir({ prefix: "skiff-bench-setters-" });
  let ok = true;
  try {
    for (let i = 0; i < FILES; i++) {
      const team = `team-${i % 20}`;
      await Deno.mkdir(`${dir}/${team}`, { recursive: true });
      const policy = i % 2 === 0 ? "web" : "api";
      await Deno.writeTextFile(
        `${dir}/${team}/deploy-${i}.yaml`,
        [
          "apiVersion: apps/v1",
          "kind: Deployment",
          "metadata:",
          `  name: app-${i}`,
          `  namespace: ${team}`,
          "  labels: {app: demo, tier: backend}",
          "spec:",
          "  replicas: 2",
          "  template:",
          "    spec:",
          "      containers:",
          "        - name: main",
          `          image: ghcr.io/acme/${policy}:1.0.0 # {"$imagepolicy": "flux-system:${policy}"}`,
          "          ports:",
          "            - containerPort: 8080",
          "        - name: sidecar",
          "          image: envoyproxy/envoy:v1.30.0",
          "---",
          "apiVersion: v1",
          "kind: Service",
          "metadata:",
          `  name: app-${i}`,
          "spec:",
          "  ports: [{port: 80, targetPort: 8080}]",
          "",
        ].join("\n"),
      );
    }
    const policies = [
      { namespace: "flux-system", name: "web", latestImage: "ghcr.io/acme/web:1.1.0" },
      { namespace: "flux-system", name: "api", latestImage: "ghcr.io/acme/api:1.0.0" },
    ];
    for (const round of [1, 2]) {
      const t0 = performance.now();
      const result = await applySetters(dir, policies);
      const ms = performance.now() - t0;
      const expected = round === 1 ? FILES / 2 : 0;
      if (result.changes.length !== expected) {
        throw new Error(`expected ${expected} changes, got ${result.changes.length}`);
      }
      ok = report(
        `setters over ${FILES} files, round ${round} (${result.changes.length} changes)`,
        ms,
        2000,
      ) && ok;
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  return ok;
}

const scanOk = await benchScan();
const settersOk = await benchSetters();
if (!scanOk || !settersOk) {
  console.log("over budget");
  Deno.exit(1);
}
