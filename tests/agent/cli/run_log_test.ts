// `skiff run` logs as Agent.spec.log says, from its first line and again after a reload, while
// --log-level/--log-format given on the command line win over it.
import assert from "node:assert/strict";
import { startApiServer } from "../../apiserver/mod.ts";
import { freePort } from "../../support/process.ts";

const MAIN = new URL("../../../main.ts", import.meta.url).pathname;
const opts = { sanitizeResources: false, sanitizeOps: false };

/**
 * Git sources nobody serves: the first (failed) run of one shows the agent is up, that of a
 * newly added one that a reload was applied.
 */
function gitRepository(name: string): string {
  return `---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: ${name}}
spec:
  interval: 1h
  url: http://127.0.0.1:1/${name}.git
  ref: {branch: main}
`;
}

function config(level: string, format: string, ...sources: string[]): string {
  return `apiVersion: skiff.dev/v1alpha1
kind: Agent
spec:
  log: {level: ${level}, format: ${format}}
${sources.map(gitRepository).join("")}`;
}

interface Run {
  child: Deno.ChildProcess;
  port: number;
  /** Everything written to stderr, once the process has exited. */
  stderr: Promise<string>;
}

function spawnRun(dir: string, kubeconfig: string, flags: string[]): Run {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--no-check",
      MAIN,
      ...flags,
      "run",
      "--config",
      `${dir}/skiff.yaml`,
      "--kubeconfig",
      kubeconfig,
      "--address",
      `127.0.0.1:${port}`,
      "--cache-dir",
      `${dir}/cache`,
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  return { child, port, stderr };
}

async function until<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Resolves once the named object has run (its fetch fails at once). runCommand installs its
 * signal handlers as soon as the agent has started, which is before any first run ends.
 */
function hasRun(port: number, name: string): Promise<true> {
  return until(`${name} to run`, async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/status`);
    const body = await res.json() as { objects: { name: string; ready: string }[] };
    return body.objects.some((o) => o.name === name && o.ready === "False") ? true : undefined;
  });
}

async function stop(run: Run): Promise<string[]> {
  try {
    run.child.kill("SIGTERM");
  } catch {
    // Exited already: the status and output below say why.
  }
  const status = await run.child.status;
  const lines = (await run.stderr).split("\n").filter(Boolean);
  assert.equal(status.code, 0, lines.join("\n"));
  return lines;
}

const isJson = (line: string) => line.startsWith("{");

Deno.test({
  name: "skiff run follows Agent.spec.log, also after a reload; explicit flags win over it",
  ...opts,
  fn: async () => {
    const api = await startApiServer({ rolloutDelayMs: 20 });
    const dir = await Deno.makeTempDir({ prefix: "skiff-run-log-" });
    try {
      // 1. No logging flags: warn + json from the config, so "agent started" (info) is not
      //    logged. The reload to info + text applies to every line after it.
      await Deno.writeTextFile(`${dir}/skiff.yaml`, config("warn", "json", "first"));
      const first = spawnRun(dir, api.kubeconfigPath, []);
      try {
        await hasRun(first.port, "first");
        await Deno.writeTextFile(`${dir}/skiff.yaml`, config("info", "text", "first", "added"));
        first.child.kill("SIGHUP");
        await hasRun(first.port, "added");
        // The level changes right after the reload resolves, in the same task.
        await new Promise((r) => setTimeout(r, 100));
      } finally {
        const lines = await stop(first);
        const all = lines.join("\n");
        assert.ok(!lines.some((l) => l.includes("skiff agent started")), all);
        const about = (name: string) => lines.filter((l) => l.includes(`/${name}.git`));
        assert.ok(about("first").length > 0 && about("first").every(isJson), all);
        assert.ok(about("added").length > 0 && !about("added").some(isJson), all);
        const shutdown = lines.find((l) => l.includes("SIGTERM: shutting down"));
        assert.match(shutdown ?? "", /^\S+ INFO {2}SIGTERM: shutting down/, lines.join("\n"));
      }

      // 2. --log-level given: it wins over the config's warn, the format still comes from it.
      await Deno.writeTextFile(`${dir}/skiff.yaml`, config("warn", "json", "first"));
      const second = spawnRun(dir, api.kubeconfigPath, ["--log-level", "info"]);
      await hasRun(second.port, "first");
      const lines = await stop(second);
      const started = lines.find((l) => l.includes("skiff agent started"));
      assert.ok(started && isJson(started), lines.join("\n"));
      assert.equal(JSON.parse(started).level, "info");
      assert.ok(lines.every(isJson), lines.join("\n"));
    } finally {
      await api.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
