// `skiff bootstrap git`, the story: generate skiff's files, check the cluster lets us install
// them, commit them to Git, install them, wait for the agent's first reconcile of `<path>`.
// From then on the agent manages itself from Git.
import { join } from "node:path";
import type { SecretData, Signature } from "../../lib/git/mod.ts";
import { isKubeObject, type KubeClient, type KubeObject } from "../../lib/kube/mod.ts";
import { buildKustomization } from "../../lib/kustomize/mod.ts";
import { ConfigError, loadConfigText } from "../config/mod.ts";
import { ownerLabelsOf } from "../reconcile/mod.ts";
import { checkPermissions, install, waitForFirstReconcile } from "./cluster.ts";
import { readDeployManifests } from "./deploy_files.ts";
import { BootstrapOptionError } from "./errors.ts";
import {
  COMPONENT_DIR,
  CONFIG_FILE,
  generateFiles,
  normalizeRepoPath,
  SYNC_NAME,
} from "./manifests.ts";
import { commitBootstrapFiles } from "./repository.ts";

export interface BootstrapOptions {
  url: string;
  branch: string;
  /** `<path>` in the repository ("" or "." for its root). */
  path: string;
  namespace: string;
  image?: string;
  interval: string;
  /** Git credentials (username/password or bearerToken): into the cluster Secret, never Git. */
  credentials?: SecretData;
  /** Where the credentials came from, for error messages ("--token-env GIT_TOKEN"). */
  credentialsHint?: string;
  author: Signature;
  client: KubeClient;
  /** How long to wait for the Deployment, and again for the first reconcile. */
  timeoutMs: number;
  /** Wait for the agent to report applying the pushed revision (default true). */
  waitForReconcile?: boolean;
  /** One line per step, for people. */
  progress?: (line: string) => void;
}

export interface BootstrapResult {
  /** The new commit, undefined when Git already had these files. */
  commit?: string;
  /** "main@sha1:<id>": what the agent applies. */
  revision: string;
  changedFiles: string[];
  /** "created Deployment skiff-system/skiff", ... (unchanged objects left out). */
  clusterChanges: string[];
  warnings: string[];
}

export async function bootstrap(options: BootstrapOptions): Promise<BootstrapResult> {
  const say = options.progress ?? (() => {});
  const path = normalizeRepoPath(options.path);
  checkUrl(options.url);
  checkNamespace(options.namespace);
  const files = generateFiles({
    url: options.url,
    branch: options.branch,
    path,
    namespace: options.namespace,
    image: options.image,
    interval: options.interval,
    withCredentials: options.credentials !== undefined,
  }, await readDeployManifests());
  const componentDir = path === "" ? COMPONENT_DIR : `${path}/${COMPONENT_DIR}`;
  const ownerLabels = ownerLabelsOfConfig(files.get(CONFIG_FILE)!, componentDir, options);

  say(`checking that the current Kubernetes user may install skiff in ${options.namespace}`);
  await checkPermissions(options.client, options.namespace);

  const workDir = await Deno.makeTempDir({ prefix: "skiff-bootstrap-" });
  try {
    say(`cloning branch ${options.branch} of ${options.url}`);
    const repo = await commitBootstrapFiles(
      {
        url: options.url,
        branch: options.branch,
        secret: options.credentials,
        author: options.author,
        credentialsHint: options.credentialsHint,
      },
      path,
      files,
      workDir,
    );
    say(
      repo.commit
        ? `pushed ${
          repo.commit.slice(0, 12)
        } to ${options.branch} (${repo.changedFiles.length} file(s) in ${componentDir})`
        : `${componentDir} is up to date in Git: nothing to commit`,
    );
    for (const warning of repo.warnings) say(`warning: ${warning}`);

    const objects = await render(workDir, componentDir);
    say(`installing skiff in namespace ${options.namespace}`);
    const installed = await install(options.client, {
      namespace: options.namespace,
      objects,
      ownerLabels,
      credentials: options.credentials,
      timeoutMs: options.timeoutMs,
    });
    for (const change of installed.changes) say(change);
    say("the agent's Deployment is ready");

    const revision = `${options.branch}@sha1:${repo.head}`;
    if (options.waitForReconcile ?? true) {
      say(`waiting for the agent to apply ${revision} of ./${path}`);
      await waitForFirstReconcile(options.client, options.namespace, revision, options.timeoutMs);
      say(`the agent applied ${revision}: skiff now manages itself from ${componentDir}`);
    }
    return {
      commit: repo.commit,
      revision,
      changedFiles: repo.changedFiles,
      clusterChanges: installed.changes,
      warnings: repo.warnings,
    };
  } finally {
    await Deno.remove(workDir, { recursive: true }).catch(() => {});
  }
}

/** The generated config must load (bad --interval, --branch...): checked before any write. */
function ownerLabelsOfConfig(
  text: string,
  componentDir: string,
  options: BootstrapOptions,
): Record<string, string> {
  try {
    const config = loadConfigText(text, `${componentDir}/${CONFIG_FILE}`);
    const sync = config.get("Kustomization", options.namespace, SYNC_NAME);
    if (!sync) throw new Error(`generated config has no Kustomization ${SYNC_NAME}`);
    return ownerLabelsOf(sync);
  } catch (e) {
    if (e instanceof ConfigError) {
      throw new BootstrapOptionError(
        "options",
        `the generated config is invalid (check --interval, --branch, --url):\n${e.message}`,
      );
    }
    throw e;
  }
}

/** skiff's own objects, built from the files as committed (what the agent will build too). */
async function render(root: string, componentDir: string): Promise<KubeObject[]> {
  const built = await buildKustomization(root, join(root, componentDir));
  return built.filter(isKubeObject);
}

function checkUrl(url: string): void {
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/@]*@/i.test(url) && /^https?:/i.test(url)) {
    throw new BootstrapOptionError(
      "--url",
      "credentials in the URL would be committed to Git: give them with --token-env or " +
        "--username and --password-env instead",
    );
  }
}

function checkNamespace(namespace: string): void {
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) {
    throw new BootstrapOptionError(
      "--namespace",
      `"${namespace}" is not a valid namespace name (lower-case letters, digits and '-', at most 63)`,
    );
  }
}
