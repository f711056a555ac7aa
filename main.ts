// skiff's command line: parses arguments and hands over to agent/ and lib/.
import { Command, CommanderError, Option } from "commander";
import { CommandError, parseOutputFormat, UsageError } from "./agent/cli/output.ts";
import { versionCommand } from "./agent/cli/version.ts";
import { validateCommand } from "./agent/cli/validate.ts";
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
