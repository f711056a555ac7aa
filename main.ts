// skiff's command line: parses arguments and hands over to agent/ and lib/.
import { Command, CommanderError, Option } from "commander";
import { CommandError, parseOutputFormat, UsageError } from "./agent/cli/output.ts";
import { DEFAULT_AGENT_URL } from "./agent/cli/agent_api.ts";
// Command modules load on use (`await import`): `skiff run` never pays for Helm rendering,
// bootstrap or image scanning code it does not run, and keeps its resident memory small.
import type { BuildHelmOptions } from "./agent/cli/build_helm.ts";
import type { BootstrapGitOptions } from "./agent/cli/bootstrap.ts";
import type { UninstallCommandOptions } from "./agent/cli/uninstall.ts";
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
    .action(async (opts: { output?: string }) => {
      const { versionCommand } = await import("./agent/cli/version.ts");
      exit(versionCommand(parseOutputFormat(opts.output)));
    });

  program.command("validate")
    .description("check a config file; print every problem with its file, document and field")
    .requiredOption("-c, --config <file>", "the skiff config file (multi-document YAML)")
    .addOption(outputOption())
    .addHelpText(
      "after",
      "\nExit codes: 0 valid, 1 invalid, 2 the file cannot be read.\n\nExamples:\n" +
        "  skiff validate --config skiff.yaml\n  skiff validate --config skiff.yaml -o json",
    )
    .action(async (opts: { config: string; output?: string }) => {
      const { validateCommand } = await import("./agent/cli/validate.ts");
      exit(await validateCommand(opts.config, parseOutputFormat(opts.output), logger()));
    });

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
    ) => {
      // Loaded on use: the agent's modules cost memory every other command need not pay.
      const { runCommand } = await import("./agent/cli/run.ts");
      // Flags given explicitly win over Agent.spec.log; their defaults do not.
      const given = (name: string) => program.getOptionValueSource(name) !== "default";
      const logFlags = { level: given("logLevel"), format: given("logFormat") };
      exit(await runCommand({ ...opts, logFlags }, logger()));
    });

  program.command("diff")
    .description("dry-run: show what the agent would change in the cluster (never writes)")
    .argument("[name]", "only this Kustomization or HelmRelease")
    .requiredOption("-c, --config <file>", "the skiff config file (multi-document YAML)")
    .option("--kubeconfig <file>", "kubeconfig to use instead of Agent.spec.cluster")
    .option("--context <name>", "kubeconfig context")
    .option("--cache-dir <dir>", "where sources are cached")
    .option(
      "--decryption-key <file>",
      "age identity or armored OpenPGP key for spec.decryption (repeatable; used beside " +
        "the cluster's key Secret, or alone when it cannot be read)",
      collect,
    )
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
        decryptionKey?: string[];
        output?: string;
      },
    ) => {
      const { diffCommand } = await import("./agent/cli/diff.ts");
      const { decryptionKey, ...rest } = opts;
      exit(
        await diffCommand(
          { ...rest, name, decryptionKeys: decryptionKey, output: parseOutputFormat(opts.output) },
          logger(),
        ),
      );
    });

  program.command("status")
    .description("ask a running agent what it is doing (like flux get all)")
    .option("--agent-url <url>", "the agent's HTTP address", DEFAULT_AGENT_URL)
    .addOption(outputOption())
    .action(async (opts: { agentUrl: string; output?: string }) => {
      const { statusCommand } = await import("./agent/cli/status.ts");
      exit(await statusCommand(opts.agentUrl, parseOutputFormat(opts.output)));
    });

  program.command("reconcile")
    .description("ask a running agent to reconcile an object now")
    .argument("<target...>", "NAME, KIND NAME, KIND/NAME, source git|helm|oci NAME, image ... NAME")
    .option(
      "--kind <kind>",
      "the kind of a bare NAME: Kustomization, OCIRepository...",
      "Kustomization",
    )
    .option("-n, --namespace <ns>", "the object's namespace", "flux-system")
    .option("--with-source", "fetch its source first")
    .option("--agent-url <url>", "the agent's HTTP address", DEFAULT_AGENT_URL)
    .action(async (
      target: string[],
      opts: { kind: string; namespace: string; withSource?: boolean; agentUrl: string },
    ) => {
      const { reconcileCommand } = await import("./agent/cli/reconcile.ts");
      exit(
        await reconcileCommand(opts.agentUrl, target, {
          ...opts,
          withSource: opts.withSource ?? false,
        }),
      );
    });

  program.command("images")
    .description(
      "scan the registries now; print each policy's latest image and, as a dry run, " +
        "what each image update automation would change",
    )
    .requiredOption("-c, --config <file>", "the skiff config file (multi-document YAML)")
    .option("--docker-config <file>", "Docker config.json with registry credentials")
    .option("--cache-dir <dir>", "where sources are checked out (default: a temp directory)")
    .addOption(outputOption())
    .addHelpText(
      "after",
      "\nExit codes: 0 all scanned, 1 a scan, policy or checkout failed, 2 error.\n\nExamples:\n" +
        "  skiff images --config skiff.yaml\n" +
        "  skiff images -c skiff.yaml --docker-config ~/.docker/config.json -o yaml",
    )
    .action(async (
      opts: { config: string; dockerConfig?: string; cacheDir?: string; output?: string },
    ) => {
      const { imagesCommand } = await import("./agent/cli/images.ts");
      exit(await imagesCommand({ ...opts, output: parseOutputFormat(opts.output) }, logger()));
    });

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
    .action(async (chart: string, opts: BuildHelmOptions & { hooks?: boolean }) => {
      const { buildHelmCommand } = await import("./agent/cli/build_helm.ts");
      exit(
        await buildHelmCommand(chart, {
          ...opts,
          noHooks: opts.hooks === false,
          debug: program.opts<GlobalOptions>().debug,
        }),
      );
    });

  build.command("kustomize")
    .description("render a Kustomize directory to stdout like `kustomize build`")
    .argument("<dir>", "the directory holding kustomization.yaml")
    .option("--root <dir>", "read files only inside this directory (default: the Git checkout)")
    .option("--fifo", "keep accumulation order (what Flux applies) instead of kustomize's sort")
    .option(
      "--decryption-key <file>",
      "decrypt SOPS files with this age identity file or armored PGP private key (repeatable)",
      collect,
    )
    .addHelpText(
      "after",
      "\nExit codes: 0 rendered, 1 the build failed, 2 DIR or a key file cannot be used.\n\nExamples:\n" +
        "  skiff build kustomize overlays/prod\n  skiff build kustomize overlays/prod | diff - <(kustomize build overlays/prod)\n" +
        "  skiff build kustomize clusters/prod --decryption-key ~/.config/sops/age/keys.txt",
    )
    .action(async (
      dir: string,
      opts: { root?: string; fifo?: boolean; decryptionKey?: string[] },
    ) => {
      const { buildKustomizeCommand } = await import("./agent/cli/build_kustomize.ts");
      exit(
        await buildKustomizeCommand(dir, {
          root: opts.root,
          sort: opts.fifo ? "fifo" : undefined,
          decryptionKeys: opts.decryptionKey,
        }),
      );
    });

  const bootstrapCmd = program.command("bootstrap")
    .description("install skiff in a cluster and commit its manifests and config to Git");
  bootstrapCmd.command("git")
    .description("bootstrap from a Git repository (HTTP(S) or SSH): skiff then manages itself")
    .requiredOption("--url <url>", "the repository URL (no credentials in it)")
    .option("--branch <branch>", "branch to commit to and sync from (created when missing)", "main")
    .requiredOption(
      "--path <path>",
      "directory the cluster syncs; skiff's files go in <path>/skiff-system",
    )
    .option("--token-env <var>", "environment variable holding a bearer token for Git")
    .option("--username <user>", "Git user name (with --password-env)")
    .option("--password-env <var>", "environment variable holding the Git password")
    .option("--private-key-file <file>", "SSH private key for ssh:// URLs")
    .option("--known-hosts-file <file>", "known_hosts with the SSH server's host key")
    .option(
      "--components-extra <names>",
      "Flux's extra components (image-reflector-controller,...): built into skiff",
      collect,
    )
    .option("-n, --namespace <ns>", "namespace skiff runs in", "skiff-system")
    .option("--image <image:tag>", "the agent image (default: deploy/deployment.yaml's)")
    .option("--interval <duration>", "how often Git is polled and <path> reconciled", "1m")
    .option("--author-name <name>", "author of the commit", "skiff")
    .option(
      "--author-email <email>",
      "e-mail of the commit author",
      "skiff@users.noreply.skiff.dev",
    )
    .option("--kubeconfig <file>", "kubeconfig to use")
    .option("--context <name>", "kubeconfig context")
    .option("--timeout <duration>", "how long to wait for the agent (each step)", "5m")
    .option(
      "--no-wait",
      "return once the Deployment is ready, without waiting for the first reconcile",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  GIT_TOKEN=... skiff bootstrap git --url https://git.example.com/fleet.git \\\n" +
        "    --path clusters/production --token-env GIT_TOKEN\n" +
        "  skiff bootstrap git --url https://git.example.com/fleet.git --path clusters/dev \\\n" +
        "    --username bot --password-env GIT_PASSWORD --image ghcr.io/skiff-dev/skiff:v0.2.0",
    )
    .action(async (opts: BootstrapGitOptions) => {
      const { bootstrapGitCommand } = await import("./agent/cli/bootstrap.ts");
      exit(await bootstrapGitCommand(opts, logger()));
    });

  const push = program.command("push").description("publish content to a registry");
  push.command("artifact")
    .description("push a directory as an OCI artifact, like `flux push artifact`")
    .argument("<url>", "oci://host/repository:tag")
    .requiredOption("--path <dir>", "the directory to push")
    .requiredOption("--source <url>", "where the content comes from (e.g. the Git URL)")
    .requiredOption("--revision <rev>", "its revision (e.g. main@sha1:<commit>)")
    .option("--creds <user:password>", "registry credentials")
    .option("--ignore-paths <patterns>", "paths to leave out, .gitignore syntax, comma-separated")
    .option("--annotations <key=value>", "manifest annotations (repeatable)", collect)
    .option("--insecure-registry", "talk plain HTTP to the registry")
    .option("--ca-file <file>", "CA bundle (PEM) for the registry")
    .addOption(outputOption())
    .addHelpText(
      "after",
      "\nExit codes: 0 pushed, 1 the registry refused it, 2 usage error.\n\nExamples:\n" +
        "  skiff push artifact oci://ghcr.io/org/manifests:$(git rev-parse --short HEAD) \\\n" +
        '    --path ./deploy --source "$(git config --get remote.origin.url)" \\\n' +
        '    --revision "$(git branch --show-current)@sha1:$(git rev-parse HEAD)"',
    )
    .action(async (
      url: string,
      opts: {
        path: string;
        source: string;
        revision: string;
        creds?: string;
        ignorePaths?: string;
        annotations?: string[];
        insecureRegistry?: boolean;
        caFile?: string;
        output?: string;
      },
    ) => {
      const { pushArtifactCommand } = await import("./agent/cli/push_artifact.ts");
      exit(
        await pushArtifactCommand(url, {
          ...opts,
          ignorePaths: opts.ignorePaths ? [opts.ignorePaths] : undefined,
          output: parseOutputFormat(opts.output),
        }),
      );
    });

  program.command("uninstall")
    .description("remove skiff from the cluster (the workloads it applied stay unless --prune)")
    .option("-n, --namespace <ns>", "namespace skiff runs in", "skiff-system")
    .option("--prune", "also delete every object skiff applied")
    .option("-y, --yes", "do not ask for confirmation")
    .option("--kubeconfig <file>", "kubeconfig to use")
    .option("--context <name>", "kubeconfig context")
    .option("--timeout <duration>", "how long to wait for the agent to stop", "2m")
    .action(async (
      opts: Omit<UninstallCommandOptions, "prune" | "yes"> & {
        prune?: boolean;
        yes?: boolean;
      },
    ) => {
      const { uninstallCommand } = await import("./agent/cli/uninstall.ts");
      exit(await uninstallCommand({ ...opts, prune: opts.prune ?? false, yes: opts.yes ?? false }));
    });

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
