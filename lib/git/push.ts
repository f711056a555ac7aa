// A writable working copy (image automation, bootstrap) and commit-and-push that never forces:
// when the branch moved upstream, the change is re-applied on the new head and pushed again,
// a bounded number of times.
import git from "isomorphic-git";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { commitTree } from "./artifact.ts";
import type { SecretData } from "./auth.ts";
import { classifyGitError } from "./classify.ts";
import { GitError } from "./errors.ts";
import { ObjectStore } from "./objects/store.ts";
import { openRemote, type Remote } from "./remote.ts";
import { signWithOpenPgp } from "./sign.ts";
import { parseRemoteUrl } from "./url.ts";

export interface CheckoutSpec {
  url: string;
  /** The branch to check out (default: the remote's default branch). */
  branch?: string;
  secret?: SecretData;
  proxySecret?: SecretData;
}

/** A checked-out branch; keeps the credentials in memory for the push. */
export interface WorkingCopy {
  dir: string;
  branch: string;
  /** The commit the working tree was checked out at (or last pushed). */
  head: string;
  readonly spec: CheckoutSpec;
}

export interface Signature {
  name: string;
  email: string;
  /** Defaults to now. */
  timestamp?: Date;
}

export interface CommitSpec {
  author: Signature;
  /** Defaults to the author. */
  committer?: Signature;
  message: string;
  /** Branch to push to (default: the checked-out branch); created when missing. */
  branch?: string;
  /** ASCII-armoured OpenPGP private key to sign the commit with. */
  signingKey?: { armored: string; passphrase?: string };
}

export interface PushOptions {
  /** How many times to re-apply and push again after a rejection (default 3). */
  retries?: number;
  /**
   * Re-creates the change on a fresh working tree after the branch moved upstream. By default
   * the files written for the first attempt are written again (last writer wins per file).
   */
  reapply?: (dir: string) => Promise<void>;
}

export interface PushResult {
  commit: string;
  branch: string;
  /** 1 when the first push went through. */
  attempts: number;
}

/** Clones `spec.branch` (depth 1) into `dir` with a working tree. */
export async function checkout(spec: CheckoutSpec, dir: string): Promise<WorkingCopy> {
  const remote = connect(spec);
  try {
    await git.clone({
      fs,
      http: remote.http,
      dir,
      url: remote.url,
      ref: spec.branch,
      singleBranch: true,
      depth: 1,
      noTags: true,
    });
    const branch = spec.branch ?? (await git.currentBranch({ fs, dir })) ?? "main";
    const head = await git.resolveRef({ fs, dir, ref: "HEAD" });
    return { dir, branch, head, spec };
  } catch (error) {
    throw classifyGitError(error, spec.url);
  } finally {
    remote.close();
  }
}

/**
 * Commits every change in the working tree and pushes it. Returns undefined when there is
 * nothing to commit. Throws GitError(PushRejected) when the retries are used up.
 */
export async function commitAndPush(
  wc: WorkingCopy,
  commit: CommitSpec,
  options: PushOptions = {},
): Promise<PushResult | undefined> {
  const target = commit.branch ?? wc.branch;
  const changes = await stageAll(wc.dir);
  if (changes.size === 0) return undefined;
  const reapply = options.reapply ?? ((dir: string) => writeChanges(dir, changes));
  const retries = options.retries ?? 3;
  let base = wc.head;
  let oid = await makeCommit(wc.dir, commit);
  let lastError: unknown;
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    const remote = connect(wc.spec);
    try {
      const remoteHead = await remoteBranchHead(remote, target);
      if (remoteHead !== undefined && remoteHead !== base) {
        // The branch moved (or the push branch already exists): rebuild on its head.
        await resetTo(wc, remote, target, remoteHead);
        await reapply(wc.dir);
        if ((await stageAll(wc.dir)).size === 0) {
          wc.head = remoteHead;
          return undefined; // upstream already has the same content
        }
        base = remoteHead;
        oid = await makeCommit(wc.dir, commit);
      }
      const result = await git.push({
        fs,
        http: remote.http,
        dir: wc.dir,
        url: remote.url,
        ref: await git.currentBranch({ fs, dir: wc.dir }) ?? wc.branch,
        remoteRef: `refs/heads/${target}`,
        force: false,
      });
      const refResult = result.refs?.[`refs/heads/${target}`];
      if (result.ok && (!refResult || refResult.ok)) {
        wc.head = oid;
        return { commit: oid, branch: target, attempts: attempt };
      }
      lastError = new GitError(
        "PushRejected",
        `the server rejected the push to ${target}: ${
          refResult?.error ?? result.error ?? "unknown"
        }`,
        wc.spec.url,
      );
    } catch (error) {
      const classified = classifyGitError(error, wc.spec.url);
      // Only a rejection is worth another round; auth or network failures are not.
      if (classified.reason !== "PushRejected" && classified.reason !== "GitOperationFailed") {
        throw classified;
      }
      lastError = classified;
    } finally {
      remote.close();
    }
  }
  const message = lastError instanceof Error ? lastError.message : String(lastError);
  throw new GitError(
    "PushRejected",
    `gave up pushing to ${target} after ${retries + 1} attempts: ${message}`,
    undefined,
    lastError,
  );
}

function connect(spec: CheckoutSpec): Remote {
  const parsed = parseRemoteUrl(spec.url);
  if (parsed.kind === "file") {
    throw new GitError("InvalidSpec", "pushing to a local path is not supported", spec.url);
  }
  return openRemote(parsed, spec.secret, spec.proxySecret, {});
}

async function remoteBranchHead(remote: Remote, branch: string): Promise<string | undefined> {
  const refs = await git.listServerRefs({
    http: remote.http,
    url: remote.url,
    protocolVersion: 1,
    prefix: `refs/heads/${branch}`,
  });
  return refs.find((r) => r.ref === `refs/heads/${branch}`)?.oid;
}

/** Fetches `branch` and makes the working tree and the local branch point at `oid`. */
async function resetTo(wc: WorkingCopy, remote: Remote, branch: string, oid: string) {
  await git.fetch({
    fs,
    http: remote.http,
    dir: wc.dir,
    url: remote.url,
    ref: branch,
    singleBranch: true,
    depth: 1,
    tags: false,
  });
  const local = await git.currentBranch({ fs, dir: wc.dir }) ?? wc.branch;
  await git.writeRef({ fs, dir: wc.dir, ref: `refs/heads/${local}`, value: oid, force: true });
  await git.checkout({ fs, dir: wc.dir, ref: local, force: true });
  // Files the failed attempt created are untracked now: remove them so the tree is clean.
  for (const [path, head, workdir] of await git.statusMatrix({ fs, dir: wc.dir })) {
    if (head === 0 && workdir === 2) await Deno.remove(`${wc.dir}/${path}`);
  }
}

/**
 * Stages every change; returns the changed paths with new content (null: deleted). Files are
 * compared by content hash with HEAD, not by the index's stat data: an edit that keeps the size
 * within the same second as the checkout (a tag bump 1.0.0 → 1.0.1) would look unchanged.
 */
async function stageAll(dir: string): Promise<Map<string, Uint8Array | null>> {
  const store = await ObjectStore.open(`${dir}/.git`);
  const head = await git.resolveRef({ fs, dir, ref: "HEAD" });
  const tracked = await commitTree(store, head);
  const changes = new Map<string, Uint8Array | null>();
  const seen = new Set<string>();
  for (const path of await workingFiles(dir, "")) {
    seen.add(path);
    const full = `${dir}/${path}`;
    const stat = await Deno.lstat(full);
    const content = stat.isSymlink
      ? new TextEncoder().encode(await Deno.readLink(full))
      : await Deno.readFile(full);
    const mode = stat.isSymlink ? "120000" : (stat.mode ?? 0) & 0o100 ? "100755" : "100644";
    const before = tracked.get(path);
    if (before && before[0] === mode && before[1] === blobId(content)) continue;
    await git.add({ fs, dir, filepath: path });
    changes.set(path, content);
  }
  for (const path of tracked.keys()) {
    if (seen.has(path)) continue;
    await git.remove({ fs, dir, filepath: path });
    changes.set(path, null);
  }
  return changes;
}

async function workingFiles(dir: string, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(`${dir}/${prefix}`)) {
    if (prefix === "" && entry.name === ".git") continue;
    const path = prefix + entry.name;
    if (entry.isDirectory) out.push(...await workingFiles(dir, path + "/"));
    else out.push(path);
  }
  return out;
}

/** Git's object id of a blob with this content. */
function blobId(content: Uint8Array): string {
  return createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
}

async function writeChanges(dir: string, changes: Map<string, Uint8Array | null>) {
  for (const [path, content] of changes) {
    const full = `${dir}/${path}`;
    if (content === null) await Deno.remove(full).catch(() => {});
    else {
      await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
      await Deno.writeFile(full, content);
    }
  }
}

async function makeCommit(dir: string, spec: CommitSpec): Promise<string> {
  const person = (s: Signature) => ({
    name: s.name,
    email: s.email,
    timestamp: Math.floor((s.timestamp ?? new Date()).getTime() / 1000),
    timezoneOffset: 0,
  });
  return await git.commit({
    fs,
    dir,
    message: spec.message.endsWith("\n") ? spec.message : spec.message + "\n",
    author: person(spec.author),
    committer: person(spec.committer ?? spec.author),
    signingKey: spec.signingKey?.armored,
    onSign: spec.signingKey
      ? ({ payload }) =>
        signWithOpenPgp(payload, spec.signingKey!.armored, spec.signingKey!.passphrase)
      : undefined,
  });
}
