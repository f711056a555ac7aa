// `skiff bootstrap git`: install skiff in a cluster and commit its manifests and config to Git
// (see agent/bootstrap). Credentials come from environment variables only, so they appear in
// neither the shell history nor Git; they go into a Secret in the cluster.
import { parseDurationMillis } from "../../lib/duration/mod.ts";
import {
  KubeClient,
  KubeConfigError,
  KubeConnectionError,
  loadKubeConfig,
} from "../../lib/kube/mod.ts";
import type { SecretData } from "../../lib/git/mod.ts";
import type { Logger } from "../../lib/log/mod.ts";
import {
  AgentNotReadyError,
  bootstrap,
  BootstrapOptionError,
  PathConflictError,
  PermissionError,
  RepositoryError,
} from "../bootstrap/mod.ts";
import { CommandError, UsageError } from "./output.ts";

export interface BootstrapGitOptions {
  url: string;
  branch: string;
  path: string;
  namespace: string;
  image?: string;
  interval: string;
  tokenEnv?: string;
  username?: string;
  passwordEnv?: string;
  /** SSH remotes: the private key (its passphrase, if any, from --password-env). */
  privateKeyFile?: string;
  knownHostsFile?: string;
  /** Flux's optional controllers; all are built into skiff, so this only informs. */
  componentsExtra?: string[];
  authorName: string;
  authorEmail: string;
  kubeconfig?: string;
  context?: string;
  timeout: string;
  /** false with --no-wait: return once the Deployment is ready. */
  wait: boolean;
}

export async function bootstrapGitCommand(
  options: BootstrapGitOptions,
  logger: Logger,
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): Promise<number> {
  const { credentials, hint } = await credentialsFrom(options, env);
  for (const note of componentNotes(options.componentsExtra ?? [])) console.log(note);
  for (const value of Object.values(credentials ?? {})) logger.secrets.add(value);
  const timeoutMs = durationOption("--timeout", options.timeout);
  const client = await clientFor(options, "skiff-bootstrap");
  try {
    const result = await bootstrap({
      url: options.url,
      branch: options.branch,
      path: options.path,
      namespace: options.namespace,
      image: options.image,
      interval: options.interval,
      credentials,
      credentialsHint: hint,
      author: { name: options.authorName, email: options.authorEmail },
      client,
      timeoutMs,
      waitForReconcile: options.wait,
      progress: (line) => console.log(logger.secrets.redact(line)),
    });
    console.log(
      result.commit
        ? `bootstrap finished: committed ${result.commit.slice(0, 12)}`
        : "bootstrap finished: Git was already up to date",
    );
    return 0;
  } catch (e) {
    if (e instanceof BootstrapOptionError) throw new UsageError(e.message);
    if (
      e instanceof RepositoryError || e instanceof PathConflictError ||
      e instanceof PermissionError || e instanceof AgentNotReadyError
    ) {
      throw new CommandError(logger.secrets.redact(e.message), 1);
    }
    if (e instanceof KubeConnectionError) {
      throw new CommandError(
        `${e.message}; check that the cluster is reachable, or choose another with --kubeconfig / --context`,
        1,
      );
    }
    throw e;
  } finally {
    client.transport.close();
  }
}

async function credentialsFrom(
  options: BootstrapGitOptions,
  env: (name: string) => string | undefined,
): Promise<{ credentials?: SecretData; hint?: string }> {
  const read = (flag: string, name: string) => {
    const value = env(name);
    if (!value) throw new UsageError(`${flag} ${name}: the environment variable is not set`);
    return value;
  };
  const readFile = async (flag: string, path: string) => {
    try {
      return await Deno.readTextFile(path);
    } catch (e) {
      throw new UsageError(`${flag} ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const methods = [options.tokenEnv, options.username, options.privateKeyFile].filter((m) => m);
  if (methods.length > 1) {
    throw new UsageError(
      "use one of --token-env, --username with --password-env, or --private-key-file",
    );
  }
  if (options.tokenEnv) {
    return {
      credentials: { bearerToken: read("--token-env", options.tokenEnv) },
      hint: `the token in $${options.tokenEnv} (--token-env)`,
    };
  }
  if (options.privateKeyFile) {
    if (!options.knownHostsFile) {
      throw new UsageError(
        "--private-key-file needs --known-hosts-file: the server's host key must be checked",
      );
    }
    const credentials: SecretData = {
      identity: await readFile("--private-key-file", options.privateKeyFile),
      known_hosts: await readFile("--known-hosts-file", options.knownHostsFile),
    };
    if (options.passwordEnv) credentials.password = read("--password-env", options.passwordEnv);
    return { credentials, hint: `the key in ${options.privateKeyFile} (--private-key-file)` };
  }
  if (options.username || options.passwordEnv) {
    if (!options.username || !options.passwordEnv) {
      throw new UsageError("--username and --password-env go together");
    }
    return {
      credentials: {
        username: options.username,
        password: read("--password-env", options.passwordEnv),
      },
      hint: `--username ${options.username} and the password in $${options.passwordEnv}`,
    };
  }
  return {};
}

/** Flux's optional controllers, by the names `flux bootstrap --components-extra` takes. */
const FLUX_EXTRA_COMPONENTS = ["image-reflector-controller", "image-automation-controller"];

function componentNotes(names: string[]): string[] {
  const notes: string[] = [];
  for (const name of names.flatMap((n) => n.split(",")).map((n) => n.trim()).filter((n) => n)) {
    if (!FLUX_EXTRA_COMPONENTS.includes(name)) {
      throw new UsageError(
        `--components-extra ${name}: unknown component (known: ${
          FLUX_EXTRA_COMPONENTS.join(", ")
        })`,
      );
    }
    notes.push(
      `${name} is built into skiff (ImageRepository, ImagePolicy and ` +
        "ImageUpdateAutomation are always served): nothing extra to install",
    );
  }
  return notes;
}

function durationOption(flag: string, value: string): number {
  try {
    return parseDurationMillis(value);
  } catch {
    throw new UsageError(`${flag} ${value}: expected a duration such as 5m or 90s`);
  }
}

/**
 * The Kubernetes client of a one-shot command (bootstrap, uninstall): --kubeconfig/--context
 * resolved like kubectl, with a message that says what to fix when that fails.
 */
export async function clientFor(
  options: { kubeconfig?: string; context?: string },
  userAgent: string,
): Promise<KubeClient> {
  try {
    return new KubeClient(
      await loadKubeConfig({ kubeconfig: options.kubeconfig, context: options.context }),
      { userAgent },
    );
  } catch (e) {
    if (e instanceof KubeConfigError) {
      throw new CommandError(`${e.message}; choose a cluster with --kubeconfig and --context`, 2);
    }
    throw e;
  }
}
