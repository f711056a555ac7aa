// skiff's command line: parses arguments and hands over to agent/ and lib/.
import { Command, CommanderError, Option } from "commander";
import { CommandError, parseOutputFormat, UsageError } from "./agent/cli/output.ts";
import { versionCommand } from "./agent/cli/version.ts";
import { validateCommand } from "./agent/cli/validate.ts";
import { buildHelmCommand, type BuildHelmOptions } from "./agent/cli/build_helm.ts";
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
