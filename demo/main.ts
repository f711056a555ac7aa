// `deno task demo`: skiff's story in under a minute, on this machine only. It starts the
// Kubernetes API emulator and a Git server with the seed's payment-api repository, runs the
// agent on demo/demo.yaml, and shows: the first sync, a commit to an overlay synced within
// seconds, and a manual `kubectl` edit reverted (drift). Exits 0 after the last step, or keeps
// running with --follow (Ctrl-C stops it).
import { startApiServer } from "../tests/apiserver/mod.ts";
import { createRepo, git as gitCli, startGitServer } from "../tests/support/git_server.ts";
import { pushImage, startRegistry, type TestRegistry } from "../tests/support/registry.ts";
import { startAgent } from "../agent/run.ts";
import { KubeClient, loadKubeConfig } from "../lib/kube/mod.ts";
import { Logger } from "../lib/log/mod.ts";
import { colorPalette, plainPalette } from "../agent/cli/output.ts";

const follow = Deno.args.includes("--follow");
const verbose = Deno.args.includes("--verbose");
const c = Deno.stdout.isTerminal() && !Deno.env.get("NO_COLOR") ? colorPalette : plainPalette;
const t0 = performance.now();
const elapsed = () => c.dim(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(4)}s]`);
const say = (text: string) => console.log(`${elapsed()} ${text}`);
const step = (n: number, text: string) => console.log(`\n${c.bold(`${n}. ${text}`)}`);

async function readTree(dir: string, prefix = ""): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) Object.assign(files, await readTree(path, `${prefix}${e.name}/`));
    else files[`${prefix}${e.name}`] = await Deno.readTextFile(path);
  }
  return files;
}

async function until<T>(
  what: string,
  check: () => T | undefined | false,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`the demo timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const here = new URL(".", import.meta.url).pathname;
const work = await Deno.makeTempDir({ prefix: "skiff-demo-" });
const cleanups: (() => Promise<void>)[] = [() => Deno.remove(work, { recursive: true })];
let exitCode = 0;
try {
  console.log(c.bold("skiff demo") + " — Git in, cluster in sync. Everything runs locally.\n");
  step(1, "A cluster, a Git repository, an agent");
  const api = await startApiServer({ rolloutDelayMs: 300 });
  cleanups.unshift(() => api.stop());
  say(`Kubernetes API emulator at ${api.url}`);
  const git = await startGitServer({ root: `${work}/git` });
  cleanups.unshift(() => git.stop());
  const repo = await createRepo(`${work}/git`, "payment-service", await readTree(`${here}repo`));
  const url = git.url("payment-service");
  say(`Git repository ${url} (deploy/base + overlays dev, staging, production)`);

  let registry: TestRegistry | undefined;
  try {
    registry = await startRegistry();
    cleanups.unshift(() => registry!.stop());
    await pushImage(registry, "payment-api", ["1.0.0"]);
    say(`OCI registry ${registry.host} (Debian's docker-registry) with payment-api:1.0.0`);
  } catch {
    say("no local registry (docker-registry is not installed): the image step is skipped");
  }
  let config = (await Deno.readTextFile(`${here}demo.yaml`))
    .replace(/url: http:\/\/127\.0\.0\.1:3000\/payment-service\.git.*/, `url: ${url}`);
  if (registry) {
    config += "---\n" +
      (await Deno.readTextFile(`${here}images.yaml`)).replaceAll("REGISTRY", registry.host);
  }
  const configPath = `${work}/skiff.yaml`;
  await Deno.writeTextFile(configPath, config);
  const agentLogs: string[] = [];
  const logger = new Logger({
    level: verbose ? "debug" : "info",
    sink: { write: (line) => verbose ? console.error(c.dim(line)) : agentLogs.push(line) },
  });
  const agent = await startAgent({
    configPath,
    logger,
    kubeconfig: api.kubeconfigPath,
    serverAddress: "127.0.0.1:0",
    cacheDir: `${work}/cache`,
  });
  cleanups.unshift(() => agent.stop());
  say(`skiff run --config demo/demo.yaml  (status page: http://127.0.0.1:${agent.port}/ui/)`);

  // Narrate what the agent does, as it happens.
  const lastRevision = new Map<string, string | undefined>();
  const narrate = agent.core.onOutcome((key, outcome) => {
    const [kind, , name] = key.split("/");
    if (outcome.reason === "DependencyNotReady" || outcome.reason === "ArtifactFailed") {
      say(`${c.dim("…")} ${kind} ${name}: ${outcome.message}`);
      return;
    }
    if (outcome.ready !== "True") {
      say(`${c.red("✗")} ${kind} ${name}: ${outcome.message}`);
      return;
    }
    const changed = (outcome.changes ?? []).filter((ch) => ch.action !== "unchanged");
    const newRevision = lastRevision.get(key) !== outcome.revision;
    lastRevision.set(key, outcome.revision);
    if (kind === "GitRepository") {
      say(`${c.green("✓")} ${kind} ${name}: fetched ${outcome.revision}`);
    } else if (kind !== "Kustomization") {
      if (newRevision || outcome.applied) {
        say(`${c.green("✓")} ${kind} ${name}: ${outcome.message}`);
      }
    } else if (changed.length > 0) {
      const list = changed.map((ch) =>
        `${ch.action} ${ch.id.kind} ${ch.id.namespace ? ch.id.namespace + "/" : ""}${ch.id.name}`
      ).join(", ");
      say(`${c.green("✓")} ${kind} ${name}: ${list}`);
    }
  });

  /**
   * A successful run of `key` recorded after `since` (epoch ms), at `revision` when given.
   * Steps wait for it, not only for the cluster to change: the run's outcome (and so its line
   * above) comes after its health check, and must not spill into the next step's story.
   */
  const ranSince = (key: string, since: number, revision?: (r: string) => boolean) => {
    const last = agent.core.statuses.get(key)?.history[0];
    return last !== undefined && last.ready === "True" && Date.parse(last.time) >= since &&
      (revision === undefined || revision(last.revision ?? ""));
  };

  step(2, "First sync: every overlay applied, in dependsOn order (dev → staging → production)");
  const store = api.store;
  const replicas = (ns: string) =>
    (store.get("apps/v1", "Deployment", "payment-api", ns)?.spec as
      | { replicas?: number }
      | undefined)
      ?.replicas;
  await until(
    "the first sync",
    () =>
      ["dev", "staging", "production"].every((e) =>
        agent.core.statuses.get(`Kustomization/flux-system/payment-${e}`)?.ready === "True"
      ),
    45_000,
  );
  for (const env of ["dev", "staging", "production"]) {
    const d = store.get("apps/v1", "Deployment", "payment-api", env)!;
    const image = (d.spec as { template: { spec: { containers: { image: string }[] } } }).template
      .spec.containers[0].image;
    say(`  Deployment ${env}/payment-api  replicas=${replicas(env)}  image=${image}`);
  }

  step(3, "A commit changes the staging overlay (replicas 2 → 4)");
  const stagingFile = "deploy/overlays/staging/kustomization.yaml";
  const current = await Deno.readTextFile(`${repo.work}/${stagingFile}`);
  const committedAt = performance.now();
  const committedWall = Date.now();
  const sha = await repo.commit(
    { [stagingFile]: current.replace("count: 2", "count: 4") },
    "staging: scale payment-api to 4",
  );
  say(`git push: ${sha.slice(0, 7)} "staging: scale payment-api to 4"`);
  await until("the overlay change", () => replicas("staging") === 4);
  const stagedIn = (performance.now() - committedAt) / 1000;
  // Production depends on staging and runs after it at the new revision (changing nothing).
  await until(
    "the staging and production runs to finish",
    () =>
      ["staging", "production"].every((e) =>
        ranSince(`Kustomization/flux-system/payment-${e}`, committedWall, (r) => r.includes(sha))
      ),
  );
  say(
    `${c.green("✓")} staging/payment-api now has 4 replicas, ` +
      `${stagedIn.toFixed(1)} s after the push (GitRepository interval 2s)`,
  );

  step(4, "Someone edits production by hand (kubectl patch replicas=10); skiff reverts it");
  const editedAt = performance.now();
  const editedWall = Date.now();
  await manualEdit(api.kubeconfigPath);
  await until(
    "the edit to land",
    () => replicas("production") === 10 || replicas("production") === 3,
  );
  say(`kubectl patch deployment payment-api -n production -p '{"spec":{"replicas":10}}'`);
  await until("the drift correction", () => replicas("production") === 3);
  const correctedIn = (performance.now() - editedAt) / 1000;
  await until(
    "the drift run to finish",
    () => ranSince("Kustomization/flux-system/payment-production", editedWall),
  );
  say(
    `${c.green("✓")} drift corrected: production/payment-api back to 3 replicas in ` +
      `${correctedIn.toFixed(1)} s`,
  );

  let next = 5;
  if (registry) {
    step(
      next++,
      "A new image is pushed (payment-api:1.1.0); skiff commits it to Git and rolls it out",
    );
    const imageOf = () =>
      (store.get("apps/v1", "Deployment", "payment-api", "production")?.spec as {
        template: { spec: { containers: { image: string }[] } };
      }).template.spec.containers[0].image;
    await pushImage(registry, "payment-api", ["1.1.0"]);
    const pushedAt = performance.now();
    const pushedWall = Date.now();
    say(`docker push ${registry.host}/payment-api:1.1.0`);
    agent.core.reconcileNow("ImageRepository/flux-system/payment-api", "demo");
    await until("the image update", () => imageOf().endsWith(":1.1.0"));
    const rolledIn = (performance.now() - pushedAt) / 1000;
    const commit = await gitCli(repo.bare, "log", "-1", "--format=%h %an: %s", "main");
    const head = commit.split(" ")[0];
    await until(
      "the production run to finish",
      () =>
        ranSince(
          "Kustomization/flux-system/payment-production",
          pushedWall,
          (r) => r.includes(`sha1:${head}`),
        ),
    );
    say(`git log: ${commit}`);
    say(
      `${c.green("✓")} production/payment-api runs ${imageOf()}, ` +
        `${rolledIn.toFixed(1)} s after the image push`,
    );
  }

  step(next, "Status, from the agent's API (what `skiff status` and /ui/ show)");
  // Runs in flight (a health wait) finish before the table is printed.
  await until("every object to settle", () => {
    const head = agent.core.statuses.get("GitRepository/flux-system/payment-service")?.revision;
    return agent.server!.statusEntries().every((s) =>
      s.ready === "True" && (s.kind !== "Kustomization" || s.revision === head)
    );
  });
  if (!follow) narrate();
  for (const s of agent.server!.statusEntries()) {
    const ready = s.ready === "True" ? c.green(s.ready) : c.red(s.ready);
    say(`  ${`${s.kind}/${s.name}`.padEnd(36)} ${ready}  ${s.revision ?? ""}`);
  }
  console.log(
    `\n${c.green("Done.")} Every step above ran against a real Git server and the API emulator.`,
  );
  if (follow) {
    console.log(
      `Following (Ctrl-C to stop). Repository: ${repo.work}\n` +
        `Open http://127.0.0.1:${agent.port}/ui/ in a browser, or try: ` +
        `curl http://127.0.0.1:${agent.port}/api/v1/status  or  ` +
        `curl http://127.0.0.1:${agent.port}/metrics`,
    );
    await new Promise<void>((resolve) => {
      Deno.addSignalListener("SIGINT", () => resolve());
      Deno.addSignalListener("SIGTERM", () => resolve());
    });
  }
} catch (e) {
  console.error(`\n${c.red("demo failed:")} ${e instanceof Error ? e.message : e}`);
  exitCode = 1;
} finally {
  for (const cleanup of cleanups) {
    await cleanup().catch(() => {});
  }
}
Deno.exit(exitCode);

/** The real kubectl when installed (as a person would), else the same patch through the API. */
async function manualEdit(kubeconfig: string): Promise<void> {
  const patch = '{"spec":{"replicas":10}}';
  try {
    const out = await new Deno.Command("kubectl", {
      args: [
        "--kubeconfig",
        kubeconfig,
        "-n",
        "production",
        "patch",
        "deployment",
        "payment-api",
        "-p",
        patch,
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (out.success) return;
  } catch {
    // no kubectl on this machine
  }
  const client = new KubeClient(await loadKubeConfig({ kubeconfig, env: {} }));
  try {
    await client.patch(
      { apiVersion: "apps/v1", kind: "Deployment", name: "payment-api", namespace: "production" },
      JSON.parse(patch),
      "strategic",
      { fieldManager: "kubectl-patch" },
    );
  } finally {
    client.transport.close();
  }
}
