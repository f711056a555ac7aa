// `skiff run` started from source as a child process (the way an operator runs it), for the
// process story and the RSS benchmark.
const main = new URL("../../main.ts", import.meta.url).pathname;

export interface SkiffRunOptions {
  configPath: string;
  kubeconfig: string;
  /** host:port for the status/webhook server. */
  address: string;
  cacheDir: string;
}

/** Spawns `skiff run` with its output discarded; the caller signals and awaits `status`. */
export function spawnSkiffRun(options: SkiffRunOptions): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--no-check",
      main,
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
    stdout: "null",
    stderr: "null",
  }).spawn();
}
