// `skiff images --config FILE [--docker-config FILE] [-o json|yaml]`: scan every registry now,
// print each ImagePolicy's latest image, and, as a dry run, the fields each
// ImageUpdateAutomation would change in a fresh checkout of its branch. Nothing is written.
// Exit codes: 0 everything scanned, 1 a scan, policy or checkout failed, 2 bad config/options.
import {
  type Config,
  ConfigError,
  ConfigFileError,
  formatProblem,
  type ImageRepository,
  type ImageUpdateAutomation,
  loadConfigFile,
} from "../config/mod.ts";
import type { Logger } from "../../lib/log/mod.ts";
import {
  type DryRunAutomation,
  type DryRunPolicy,
  type DryRunRepository,
  formatImagesReport,
  imagesDryRun,
  type ImagesReport,
} from "../../lib/images/mod.ts";
import {
  checkoutForAutomation,
  pushTargetOf,
  selectsPolicy,
} from "../../lib/images/automation/mod.ts";
import {
  CredentialsError,
  credentialsFromDockerConfig,
  parseImageRef,
  type RegistryCredentials,
} from "../../lib/registry/mod.ts";
import { CommandError, formatData, type OutputFormat } from "./output.ts";

export interface ImagesCommandOptions {
  config: string;
  output: OutputFormat;
  /** A Docker config.json (`{"auths": {...}}`) holding registry credentials. */
  dockerConfig?: string;
  /** Where sources are checked out for the dry run (default: a temporary directory). */
  cacheDir?: string;
  /** Where the report goes (default: stdout). */
  write?: (text: string) => void;
}

export async function imagesCommand(opts: ImagesCommandOptions, logger: Logger): Promise<number> {
  const config = await loadConfig(opts.config);
  const dockerConfig = opts.dockerConfig ? await readDockerConfig(opts.dockerConfig) : undefined;
  const work = opts.cacheDir
    ? await Deno.mkdir(opts.cacheDir, { recursive: true }).then(() =>
      Deno.makeTempDir({ dir: opts.cacheDir, prefix: "images-" })
    )
    : await Deno.makeTempDir({ prefix: "skiff-images-" });
  try {
    const report = await imagesDryRun({
      repositories: config.imageRepositories.map((r) => repositoryInput(r, dockerConfig, logger)),
      policies: config.imagePolicies.map((p): DryRunPolicy => ({
        namespace: p.metadata.namespace,
        name: p.metadata.name,
        repository: {
          namespace: p.spec.imageRepositoryRef.namespace ?? p.metadata.namespace,
          name: p.spec.imageRepositoryRef.name,
        },
        spec: { policy: p.spec.policy, filterTags: p.spec.filterTags },
      })),
      automations: await Promise.all(
        config.imageUpdateAutomations.map((a, i) =>
          automationInput(a, config, `${work}/${i}`, logger)
        ),
      ),
    });
    (opts.write ?? write)(
      opts.output === "table" ? formatImagesReport(report) : formatData(report, opts.output),
    );
    return failed(report) ? 1 : 0;
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}

async function loadConfig(path: string): Promise<Config> {
  try {
    return await loadConfigFile(path);
  } catch (e) {
    if (e instanceof ConfigFileError) throw new CommandError(e.message, 2);
    if (e instanceof ConfigError) {
      const problems = e.problems.map((p) => `  ${formatProblem(p)}`).join("\n");
      throw new CommandError(
        `${path} is invalid (see skiff validate --config ${path}):\n${problems}`,
        2,
      );
    }
    throw e;
  }
}

/** The file as the Secret data credentialsFromDockerConfig reads. */
async function readDockerConfig(path: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new CommandError(`--docker-config ${path}: ${(e as Error).message}`, 2);
  }
  const data = {
    ".dockerconfigjson": btoa(String.fromCharCode(...new TextEncoder().encode(text))),
  };
  try {
    // Read once up front so a malformed file is a usage error, not one error per repository.
    credentialsFromDockerConfig(data, "localhost");
  } catch (e) {
    if (e instanceof CredentialsError) {
      throw new CommandError(`--docker-config ${path}: ${e.message}`, 2);
    }
    throw e;
  }
  return data;
}

function repositoryInput(
  repo: ImageRepository,
  dockerConfig: Record<string, string> | undefined,
  logger: Logger,
): DryRunRepository {
  const base = {
    namespace: repo.metadata.namespace,
    name: repo.metadata.name,
    spec: {
      image: repo.spec.image,
      exclusionList: repo.spec.exclusionList,
      insecure: repo.spec.insecure,
    },
  };
  if (repo.spec.provider !== "generic") {
    return {
      ...base,
      skip: `provider ${repo.spec.provider} needs cloud credentials only the agent has`,
    };
  }
  let credentials: RegistryCredentials | undefined;
  if (dockerConfig) {
    const host = parseImageRef(repo.spec.image).registry;
    try {
      credentials = credentialsFromDockerConfig(dockerConfig, host);
    } catch (e) {
      if (!(e instanceof CredentialsError)) throw e;
      throw new CommandError(`--docker-config: credentials for ${host}: ${e.message}`, 2);
    }
    logger.debug("registry credentials", { repository: base.name, host, found: !!credentials });
  }
  if (!credentials && repo.spec.secretRef) {
    return {
      ...base,
      skip:
        `its credentials are in Secret ${repo.metadata.namespace}/${repo.spec.secretRef.name} ` +
        "(in the cluster); pass --docker-config FILE with credentials for " +
        parseImageRef(repo.spec.image).registry,
    };
  }
  return { ...base, credentials };
}

async function automationInput(
  automation: ImageUpdateAutomation,
  config: Config,
  dir: string,
  logger: Logger,
): Promise<DryRunAutomation> {
  const ns = automation.metadata.namespace;
  const base = {
    namespace: ns,
    name: automation.metadata.name,
    update: automation.spec.update,
    policies: config.imagePolicies
      .filter((p) =>
        p.metadata.namespace === ns &&
        selectsPolicy(automation.spec.policySelector, p.metadata.labels)
      )
      .map((p) => p.metadata.name),
  };
  const ref = automation.spec.sourceRef;
  const repo = config.get("GitRepository", ref.namespace ?? ns, ref.name);
  if (!repo) return { ...base, error: `GitRepository ${ref.name} is not defined` };
  if (repo.spec.secretRef) {
    return {
      ...base,
      skip: `GitRepository ${repo.metadata.namespace}/${repo.metadata.name} needs the ` +
        `credentials in Secret ${repo.spec.secretRef.name}, which only the agent reads`,
    };
  }
  const source = { url: repo.spec.url, ref: repo.spec.ref };
  const target = pushTargetOf(automation, source);
  if ("problem" in target) return { ...base, error: target.problem };
  try {
    const wc = await checkoutForAutomation(source, target, dir);
    logger.debug("checked out", { automation: base.name, branch: wc.branch, head: wc.head });
    return { ...base, checkoutDir: wc.dir };
  } catch (e) {
    return { ...base, error: (e as Error).message };
  }
}

function failed(report: ImagesReport): boolean {
  return report.repositories.some((r) => r.error) || report.policies.some((p) => p.error) ||
    report.automations.some((a) => a.error);
}

function write(text: string): void {
  const bytes = new TextEncoder().encode(text);
  for (let done = 0; done < bytes.length;) done += Deno.stdout.writeSync(bytes.subarray(done));
}
