// `skiff run` started from source as a child process (the way an operator runs it), for the
// process story, the kill scenario and the RSS benchmark.
const root = new URL("../../", import.meta.url).pathname;
const main = `${root}main.ts`;

export interface SkiffRunOptions {
  configPath: string;
  kubeconfig: string;
  /** host:port for the status/webhook server. */
  address: string;
  cacheDir: string;
  /**
   * How skiff is started: `deno <args>` (ending with main.ts) with `env` added, from the
   * repository root as `deno task` runs it. Default: `deno run -A --no-check main.ts`.
   */
  launch?: { args: string[]; env: Record<string, string> };
}

/** Spawns `skiff run` with its output discarded; the caller signals and awaits `status`. */
export function spawnSkiffRun(options: SkiffRunOptions): Deno.ChildProcess {
  const launch = options.launch ?? { args: ["run", "-A", "--no-check", main], env: {} };
  return new Deno.Command(Deno.execPath(), {
    args: [
      ...launch.args,
      "run",
      "--config",
      options.configPath,
      "--kubeconfig",
      options.kubeconfig,
      "--address",
      options.address,
      "--cache-dir",
      options.cacheDir,
    ],
    env: launch.env,
    // deno.json (the import map and its settings) is found from here.
    cwd: root,
    stdout: "null",
    stderr: "null",
  }).spawn();
}
