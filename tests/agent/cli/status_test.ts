// `skiff status` against an agent's /api/v1/status: every source kind in the table, sources
// first as `flux get all` lists them, warnings about the agent on stderr, and the exit code
// telling whether everything is Ready.
import assert from "node:assert/strict";
import { statusCommand } from "../../../agent/cli/status.ts";
import type { StatusEntry } from "../../../agent/server/mod.ts";

const DIGEST = `sha256:${"ab".repeat(32)}`;

const entry = (e: Partial<StatusEntry> & Pick<StatusEntry, "kind" | "name">): StatusEntry => ({
  namespace: "flux-system",
  ready: "True",
  reason: "Succeeded",
  message: "",
  suspended: false,
  ...e,
});

const OBJECTS: StatusEntry[] = [
  entry({
    kind: "Kustomization",
    name: "apps",
    ready: "False",
    reason: "ArtifactFailed",
    message: "apps waits for its source OCIRepository/flux-system/apps",
  }),
  entry({
    kind: "OCIRepository",
    name: "apps",
    ready: "False",
    reason: "OCIArtifactPullFailed",
    message: "oci://registry.local/apps: layer digest does not match\nsecond line",
    revision: `1.0.0@${DIGEST}`,
  }),
  entry({ kind: "ImagePolicy", name: "web", revision: "registry.local/web:1.2.0" }),
  entry({ kind: "GitRepository", name: "fleet", revision: `main@sha1:${"1".repeat(40)}` }),
  entry({ kind: "HelmRepository", name: "charts", revision: DIGEST }),
];

async function run(
  objects: StatusEntry[],
  warnings: string[],
  format: "table" | "json",
): Promise<{ code: number; out: string; err: string[] }> {
  const abort = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: abort.signal, onListen: () => {} },
    () => Response.json({ objects, warnings }),
  );
  const chunks: string[] = [];
  const err: string[] = [];
  const write = Deno.stdout.writeSync;
  const error = console.error;
  Deno.stdout.writeSync = (p: Uint8Array) => (chunks.push(new TextDecoder().decode(p)), p.length);
  console.error = (...a: unknown[]) => err.push(a.join(" "));
  try {
    const code = await statusCommand(`http://127.0.0.1:${server.addr.port}`, format);
    return { code, out: chunks.join(""), err };
  } finally {
    Deno.stdout.writeSync = write;
    console.error = error;
    abort.abort();
    await server.finished;
  }
}

Deno.test("the table lists OCIRepository like every source, sources first", async () => {
  const { code, out, err } = await run(OBJECTS, [], "table");
  assert.equal(code, 1, "not everything is Ready");
  assert.deepEqual(err, []);
  const names = out.trim().split("\n").slice(1).map((l) => l.split(/\s+/)[0]);
  assert.deepEqual(names, [
    "GitRepository/fleet",
    "OCIRepository/apps",
    "HelmRepository/charts",
    "Kustomization/apps",
    "ImagePolicy/web",
  ]);
  const oci = out.split("\n").find((l) => l.startsWith("OCIRepository/apps"))!;
  assert.match(
    oci,
    new RegExp(
      `^OCIRepository/apps\\s+flux-system\\s+1\\.0\\.0@${DIGEST}\\s+False\\s+False\\s+` +
        "oci://registry.local/apps: layer digest does not match$",
    ),
  );
});

Deno.test("agent warnings go to stderr and into -o json; all Ready exits 0", async () => {
  const ready = OBJECTS.map((o) => ({ ...o, ready: "True" }));
  const warning = 'another skiff agent, "replica-2", is reconciling this cluster too';
  const table = await run(ready, [warning], "table");
  assert.equal(table.code, 0);
  assert.deepEqual(table.err, [`warning: ${warning}`]);
  assert.doesNotMatch(table.out, /another skiff agent/);
  const json = await run(ready, [warning], "json");
  assert.deepEqual(JSON.parse(json.out).warnings, [warning]);
  assert.equal(JSON.parse(json.out).objects.length, OBJECTS.length);
});
