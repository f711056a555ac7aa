// `deno task apiserver --kubeconfig FILE [--port N] [--http] [--rollout-delay MS] [--seed N]
// [--snapshot FILE]`: serves the emulator until interrupted; FILE gets an admin kubeconfig once
// it is serving.
import { Command } from "commander";
import { startApiServer } from "./mod.ts";

const program = new Command()
  .name("apiserver")
  .description("Kubernetes API emulator for skiff's tests")
  .requiredOption("--kubeconfig <file>", "where to write the admin kubeconfig")
  .option("--port <n>", "port on 127.0.0.1 (default: a free one)", "0")
  .option("--http", "serve plain HTTP instead of HTTPS")
  .option("--rollout-delay <ms>", "time until workloads are ready", "100")
  .option("--seed <n>", "seed for fault injection", "1")
  .option("--snapshot <file>", "JSON state file, loaded at start and written at exit");
program.parse(["deno", "apiserver", ...Deno.args]);
const opts = program.opts<{
  kubeconfig: string;
  port: string;
  http?: boolean;
  rolloutDelay: string;
  seed: string;
  snapshot?: string;
}>();

const started = performance.now();
const server = await startApiServer({
  tls: !opts.http,
  port: Number(opts.port),
  rolloutDelayMs: Number(opts.rolloutDelay),
  seed: Number(opts.seed),
  snapshotFile: opts.snapshot,
  kubeconfigPath: opts.kubeconfig,
});
console.error(
  `emulator serving on ${server.url} (started in ${
    Math.round(performance.now() - started)
  } ms); kubeconfig: ${opts.kubeconfig}`,
);

const stop = async () => {
  await server.stop();
  Deno.exit(0);
};
Deno.addSignalListener("SIGINT", stop);
Deno.addSignalListener("SIGTERM", stop);
