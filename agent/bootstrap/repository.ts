// Step 1-3 of bootstrap: check out the branch (or create it: from the default branch, or as the
// first commit of an empty repository), write `<path>/skiff-system/`, commit and push. A run
// that changes no byte commits nothing, so bootstrap can be repeated safely.
import { join } from "node:path";
import {
  checkout,
  commitAndPush,
  GitError,
  parseRemoteUrl,
  redactUrl,
  type SecretData,
  type Signature,
  type WorkingCopy,
} from "../../lib/git/mod.ts";
import { PathConflictError, RepositoryError } from "./errors.ts";
import { pushFirstCommit } from "./first_commit.ts";
import { COMPONENT_DIR, MARKER } from "./manifests.ts";

export interface RepositorySpec {
  url: string;
  branch: string;
  secret?: SecretData;
  author: Signature;
  /** Which option holds the credentials, for error messages ("--token-env GITHUB_TOKEN"). */
  credentialsHint?: string;
}

export interface RepositoryResult {
  /** The local checkout (the files as committed are under it). */
  dir: string;
  /** The branch's commit after the run: the new one, or the one already there. */
  head: string;
  /** The new commit, undefined when nothing changed. */
  commit?: string;
  /** Repository-relative paths written with new content. */
  changedFiles: string[];
  /** The branch did not exist before this run. */
  createdBranch: boolean;
  /** Things the user should know (e.g. a kustomization.yaml in `<path>` that skips skiff). */
  warnings: string[];
}

/**
 * Writes `files` (names relative to `<path>/skiff-system`) into the branch and pushes them.
 * `workDir` must be an empty directory; the checkout stays there for the caller to render.
 */
export async function commitBootstrapFiles(
  spec: RepositorySpec,
  path: string,
  files: Map<string, string>,
  workDir: string,
): Promise<RepositoryResult> {
  const componentDir = path === "" ? COMPONENT_DIR : `${path}/${COMPONENT_DIR}`;
  const paths = [...files.keys()].map((name) => `${componentDir}/${name}`);
  const wc = await openBranch(spec, workDir);
  if (!wc) {
    // An empty repository: the first commit holds only skiff's files.
    await writeFiles(workDir, componentDir, files);
    const commit = await guard(spec, () =>
      pushFirstCommit({
        url: spec.url,
        branch: spec.branch,
        secret: spec.secret,
        author: spec.author,
        message: `skiff bootstrap: install skiff in ${componentDir}`,
        dir: workDir,
        paths,
      }));
    return {
      dir: workDir,
      head: commit,
      commit,
      changedFiles: paths,
      createdBranch: true,
      warnings: [],
    };
  }

  const createdBranch = wc.branch !== spec.branch;
  const existed = await checkPath(workDir, path, componentDir, files);
  const changedFiles = await writeFiles(workDir, componentDir, files);
  const message = existed
    ? `skiff bootstrap: update ${componentDir}`
    : `skiff bootstrap: install skiff in ${componentDir}`;
  const pushed = await guard(
    spec,
    () => commitAndPush(wc, { author: spec.author, message, branch: spec.branch }),
  );
  if (createdBranch && !pushed) {
    // Nothing differs from the default branch, and lib/git creates a branch only by pushing a
    // commit to it: the branch the agent would follow does not exist.
    throw new RepositoryError(
      spec.url,
      "RefNotFound",
      `branch ${spec.branch} does not exist and ${wc.branch} already holds these files: create ` +
        `the branch (git push origin ${wc.branch}:${spec.branch}) and run bootstrap again`,
    );
  }
  return {
    dir: workDir,
    head: wc.head,
    commit: pushed?.commit,
    changedFiles: pushed ? changedFiles : [],
    createdBranch,
    warnings: await kustomizationWarnings(workDir, path),
  };
}

/**
 * The branch checked out; or the default branch (the new branch is created from it by the
 * push); or undefined when the repository has no commit at all.
 */
async function openBranch(spec: RepositorySpec, dir: string): Promise<WorkingCopy | undefined> {
  try {
    return await guard(
      spec,
      () => checkout({ url: spec.url, branch: spec.branch, secret: spec.secret }, dir),
    );
  } catch (e) {
    if (!(e instanceof RepositoryError && e.reason === "RefNotFound")) throw e;
  }
  await Deno.remove(join(dir, ".git"), { recursive: true }).catch(() => {});
  try {
    return await guard(spec, () => checkout({ url: spec.url, secret: spec.secret }, dir));
  } catch (e) {
    if (!(e instanceof RepositoryError && e.reason === "RefNotFound")) throw e;
  }
  await Deno.remove(join(dir, ".git"), { recursive: true }).catch(() => {});
  const kind = parseRemoteUrl(spec.url).kind;
  if (kind !== "http") {
    throw new RepositoryError(
      spec.url,
      "EmptyRepository",
      `${redactUrl(spec.url)} has no commits yet, and skiff creates the first commit over ` +
        "HTTP(S) only: push any first commit (a README will do) and run bootstrap again",
    );
  }
  return undefined;
}

/**
 * Refuses to overwrite files skiff did not write: `<path>` or `<path>/skiff-system` being a
 * file, or one of the files to write existing without skiff's marker line. Returns whether
 * skiff's files were there already (an update rather than an install).
 */
async function checkPath(
  root: string,
  path: string,
  componentDir: string,
  files: Map<string, string>,
): Promise<boolean> {
  for (const dir of [path, componentDir]) {
    if (dir === "") continue;
    const stat = await Deno.stat(join(root, dir)).catch(() => undefined);
    if (stat && !stat.isDirectory) throw new PathConflictError(dir, [dir]);
  }
  const foreign: string[] = [];
  let ours = 0;
  for (const name of files.keys()) {
    const text = await Deno.readTextFile(join(root, componentDir, name)).catch(() => undefined);
    if (text === undefined) continue;
    if (text.startsWith(MARKER)) ours++;
    else foreign.push(name);
  }
  if (foreign.length > 0) throw new PathConflictError(componentDir, foreign);
  return ours > 0;
}

/** Writes the files whose content differs; returns their repository-relative paths. */
async function writeFiles(
  root: string,
  componentDir: string,
  files: Map<string, string>,
): Promise<string[]> {
  await Deno.mkdir(join(root, componentDir), { recursive: true });
  const changed: string[] = [];
  for (const [name, content] of files) {
    const full = join(root, componentDir, name);
    const before = await Deno.readTextFile(full).catch(() => undefined);
    if (before === content) continue;
    await Deno.writeTextFile(full, content);
    changed.push(`${componentDir}/${name}`);
  }
  return changed;
}

/**
 * A kustomization.yaml at `<path>` decides itself what is applied: unless it lists
 * skiff-system, skiff would not manage itself.
 */
async function kustomizationWarnings(root: string, path: string): Promise<string[]> {
  for (const name of ["kustomization.yaml", "kustomization.yml", "Kustomization"]) {
    const text = await Deno.readTextFile(join(root, path, name)).catch(() => undefined);
    if (text === undefined) continue;
    if (/^\s*-\s*["']?(\.\/)?skiff-system\/?["']?\s*$/m.test(text)) return [];
    const shown = path === "" ? name : `${path}/${name}`;
    return [
      `${shown} does not list ${COMPONENT_DIR}: add "- ${COMPONENT_DIR}" to its resources, ` +
      "or skiff will not apply changes to itself",
    ];
  }
  return [];
}

/** Runs a Git step, turning lib/git's failures into messages that say what to do. */
async function guard<T>(spec: RepositorySpec, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    const url = redactUrl(spec.url);
    const reason = e instanceof GitError ? e.reason : httpReason(e);
    const detail = e instanceof Error ? e.message : String(e);
    switch (reason) {
      case "AuthFailed":
        throw new RepositoryError(
          spec.url,
          reason,
          `${url}: the Git server refused the credentials; check ${
            spec.credentialsHint ?? "--token-env or --username/--password-env"
          } (it needs read and write access to the repository)`,
          e,
        );
      case "Unreachable":
        throw new RepositoryError(
          spec.url,
          reason,
          `${url} cannot be reached (${detail}); check the URL and that this machine can ` +
            "reach the Git server",
          e,
        );
      case "RefNotFound":
        throw new RepositoryError(spec.url, reason, detail, e);
      case "PushRejected":
        throw new RepositoryError(
          spec.url,
          reason,
          `${detail}; someone else is pushing to ${spec.branch}: run bootstrap again`,
          e,
        );
      default:
        throw new RepositoryError(spec.url, reason, `${url}: ${detail}`, e);
    }
  }
}

/** isomorphic-git's errors (first commit only): HTTP status in `data.statusCode`, or a socket code. */
function httpReason(e: unknown): string {
  const status = (e as { data?: { statusCode?: number } } | undefined)?.data?.statusCode;
  if (status === 401 || status === 403) return "AuthFailed";
  const code = (e as { code?: string } | undefined)?.code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND") return "Unreachable";
  return "GitOperationFailed";
}
