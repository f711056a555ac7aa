// skiff's command line: parses arguments and hands over to agent/ and lib/.
import { Command, CommanderError, Option } from "commander";
import { CommandError, parseOutputFormat, UsageError } from "./agent/cli/output.ts";
import { versionCommand } from "./agent/cli/version.ts";
import { validateCommand } from "./agent/cli/validate.ts";
import { runCommand } from "./agent/cli/run.ts";
import { diffCommand } from "./agent/cli/diff.ts";
import { statusCommand } from "./agent/cli/status.ts";
import { reconcileCommand } from "./agent/cli/reconcile.ts";
import { DEFAULT_AGENT_URL } from "./agent/cli/agent_api.ts";
import { buildHelmCommand, type BuildHelmOptions } from "./agent/cli/build_helm.ts";
import { buildKustomizeCommand } from "./agent/cli/build_kustomize.ts";
import { Logger, parseLogFormat, parseLogLevel } from "./lib/log/mod.ts";

interface GlobalOptions {
  debug?: boolean;
  logLevel: string;
  logFormat: string;
}

const outputOption = () =>
  new Option("-o, --output <format>", "output format: json or yaml (default: a table)");

export function buildProgram(exit: (code: number) => void): Command {
  const program = new Command("skiff")
    .description("GitOps for Kubernetes in one small binary: Git and Helm in, cluster in sync.")
    .option("--debug", "show stack traces of unexpected errors")
    .option("--log-level <level>", "debug, info, warn or error", "info")
    .option("--log-format <format>", "text or json", "text")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();

  const logger = () => {
    const g = program.opts<GlobalOptions>();
    return new Logger({ level: parseLogLevel(g.logLevel), format: parseLogFormat(g.logFormat) });
  };

  program.command("version")
    .description("print the versions of skiff, Deno and V8")
    .addOption(outputOption())
    .addHelpText("after", "\nExamples:\n  skiff version\n  skiff version -o json")
    .action((opts: { output?: string }) => exit(versionCommand(parseOutputFormat(opts.output))));

  program.command("validate")
    .description("check a config file; print every problem with its file, document and field")
    .requiredOption("-c, --config <file>", "the skiff config file (multi-document YAML)")
    .addOption(outputOption())
    .addHelpText(
      "after",
      "\nExit codes: 0 valid, 1 invalid, 2 the file cannot be read.\n\nExamples:\n" +
        "  skiff validate --config skiff.yaml\n  skiff validate --config skiff.yaml -o json",
    )
    .action(async (opts: { config: string; output?: string }) =>
      exit(await validateCommand(opts.config, parseOutputFormat(opts.output), logger()))
    );

  const collect = (value: string, previous: string[] = []) => [...previous, value];
  program.command("run")
    .description("run the agent: keep the cluster equal to Git (until SIGTERM)")
    .requiredOption("-c, --config <file>", "the skiff config file (multi-document YAML)")
    .option("--kubeconfig <file>", "kubeconfig to use instead of Agent.spec.cluster")
    .option("--context <name>", "kubeconfig context")
    .option("--address <addr>", "HTTP listen address (default: Agent.spec.server.address)")
    .option("--cache-dir <dir>", "where sources are cached")
    .addHelpText(
      "after",
      "\nExamples:\n  skiff run --config skiff.yaml\n  skiff run -c skiff.yaml --kubeconfig ~/.kube/dev",
    )
    .action(async (
      opts: {
        config: string;
        kubeconfig?: string;
        context?: string;
        address?: string;
        cacheDir?: string;
      },
    ) => exit(await runCommand(opts, logger())));

  program.command("diff")
    .description("dry-run: show what the agent would change in the cluster (never writes)")
    .argument("[name]", "only this Kustomization")
    .requiredOption("-c, --config <file>", "the skiff config file (multi-document YAML)")
    .option("--kubeconfig <file>", "kubeconfig to use instead of Agent.spec.cluster")
    .option("--context <name>", "kubeconfig context")
    .option("--cache-dir <dir>", "where sources are cached")
    .addOption(outputOption())
    .addHelpText(
      "after",
      "\nExit codes: 0 in sync, 1 differences, 2 error.\n\nExamples:\n  skiff diff --config skiff.yaml\n  skiff diff --config skiff.yaml apps",
    )
    .action(async (
      name: string | undefined,
      opts: {
        config: string;
        kubeconfig?: string;
        context?: string;
        cacheDir?: string;
        output?: string;
      },
    ) =>
      exit(await diffCommand({ ...opts, name, output: parseOutputFormat(opts.output) }, logger()))
    );

  program.command("status")
    .description("ask a running agent what it is doing (like flux get all)")
    .option("--agent-url <url>", "the agent's HTTP address", DEFAULT_AGENT_URL)
    .addOption(outputOption())
    .action(async (opts: { agentUrl: string; output?: string }) =>
      exit(await statusCommand(opts.agentUrl, parseOutputFormat(opts.output)))
    );

  program.command("reconcile")
    .description("ask a running agent to reconcile an object now")
    .argument("<name>", "the object's name (or kind/name)")
    .option("--kind <kind>", "Kustomization, GitRepository...", "Kustomization")
    .option("-n, --namespace <ns>", "the object's namespace", "flux-system")
    .option("--with-source", "fetch its source first")
    .option("--agent-url <url>", "the agent's HTTP address", DEFAULT_AGENT_URL)
    .action(async (
      name: string,
      opts: { kind: string; namespace: string; withSource?: boolean; agentUrl: string },
    ) =>
      exit(
        await reconcileCommand(opts.agentUrl, name, {
          ...opts,
          withSource: opts.withSource ?? false,
        }),
      )
    );

  const build = program.commands.find((c) => c.name() === "build") ??
    program.command("build").description("render Kustomize directories or Helm charts to stdout");
  build.command("helm")
    .description("render a chart to stdout like `helm template`")
    .argument("<chart>", "a chart directory, a .tgz, a chart name with --repo, or oci://...")
    .option("--release-name <name>", "release name", "release-name")
    .option("-n, --namespace <ns>", "release namespace", "default")
    .option("-f, --values <file>", "values file (repeatable, later wins)", collect)
    .option("--set <key=value>", "set values (repeatable)", collect)
    .option("--set-string <key=value>", "set string values (repeatable)", collect)
    .option("--set-json <key=json>", "set JSON values (repeatable)", collect)
    .option("--set-file <key=path>", "set values from files (repeatable)", collect)
    .option("--kube-version <version>", "Kubernetes version for .Capabilities (default v1.20.0)")
    .option(
      "-a, --api-versions <version>",
      "extra API versions for .Capabilities (repeatable)",
      collect,
    )
    .option("--include-crds", "include the charts' crds/ in the output")
    .option(
      "-s, --show-only <path>",
      "only show manifests rendered from these templates (repeatable)",
      collect,
    )
    .option("--skip-tests", "leave out test hooks")
    .option("--no-hooks", "leave out hooks")
    .option("--skip-schema-validation", "do not validate values against values.schema.json")
    .option("--repo <url>", "chart repository URL (CHART is then a chart name)")
    .option(
      "--version <constraint>",
      "chart version constraint for --repo and oci:// (default: latest)",
    )
    .option("--username <user>", "repository user name")
    .option("--password <password>", "repository password")
    .option("--ca-file <file>", "CA bundle (PEM) for the repository")
    .addHelpText(
      "after",
      "\nExamples:\n  skiff build helm ./mychart --release-name web -f prod.yaml --set image.tag=1.2\n" +
        "  skiff build helm nginx --repo https://charts.example.com --version '^15'",
    )
    .action(async (chart: string, opts: BuildHelmOptions & { hooks?: boolean }) =>
      exit(
        await buildHelmCommand(chart, {
          ...opts,
          noHooks: opts.hooks === false,
          debug: program.opts<GlobalOptions>().debug,
        }),
      )
    );

  build.command("kustomize")
    .description("render a Kustomize directory to stdout like `kustomize build`")
    .argument("<dir>", "the directory holding kustomization.yaml")
    .option("--root <dir>", "read files only inside this directory (default: the Git checkout)")
    .option("--fifo", "keep accumulation order (what Flux applies) instead of kustomize's sort")
    .addHelpText(
      "after",
      "\nExit codes: 0 rendered, 1 the build failed, 2 DIR cannot be used.\n\nExamples:\n" +
        "  skiff build kustomize overlays/prod\n  skiff build kustomize overlays/prod | diff - <(kustomize build overlays/prod)",
    )
    .action(async (dir: string, opts: { root?: string; fifo?: boolean }) =>
      exit(
        await buildKustomizeCommand(dir, { root: opts.root, sort: opts.fifo ? "fifo" : undefined }),
      )
    );

  return program;
}

export async function main(args: string[]): Promise<number> {
  let exitCode = 0;
  const program = buildProgram((code) => (exitCode = code));
  try {
    await program.parseAsync(args, { from: "user" });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander already printed the message (or the help text).
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    if (e instanceof CommandError) {
      console.error(`error: ${e.message}`);
      return e.exitCode;
    }
    const debug = program.opts<GlobalOptions>().debug;
    console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
    if (debug && e instanceof Error && e.stack) console.error(e.stack);
    return 2;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
