// A writable working copy (image automation, bootstrap) and commit-and-push, on the same pack
// protocol code as fetching (no isomorphic-git: its clone of a 10,000-file repository took 20 s
// here). A push never forces: the ref update names the commit it replaces, and when the branch
// moved upstream the change is re-applied on the new head and pushed again, a bounded number of
// times.
import { createHash } from "node:crypto";
import { buildArtifact, commitTree, type PlannedFile } from "./artifact.ts";
import type { SecretData } from "./auth.ts";
import { classifyGitError } from "./classify.ts";
import { GitError } from "./errors.ts";
import { fetchObjects, writeFileAtomic } from "./fetch_objects.ts";
import { indexPack } from "./objects/index_pack.ts";
import { ObjectStore } from "./objects/store.ts";
import { makeCommit, makeObject, makePack, makeTrees, type NewObject } from "./objects/write.ts";
import { discoverRefs } from "./protocol/discovery.ts";
import { receivePack } from "./protocol/receive_pack.ts";
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
  /** Push options (`git push -o`), e.g. `merge_request.create`; the server must accept them. */
  pushOptions?: string[];
}

export interface PushOptions {
  /** How many times to re-apply and push again after a rejection (default 3). */
  retries?: number;
  /**
   * Re-creates the change on the working tree after it was reset to the branch's new head. By
   * default the files changed for the first attempt keep their content (last writer wins).
   */
  reapply?: (dir: string) => Promise<void>;
}

export interface PushResult {
  commit: string;
  branch: string;
  /** 1 when the first push went through. */
  attempts: number;
}

const ZERO = "0".repeat(40);
type Tree = Map<string, [string, string]>;
type Changes = Map<string, { mode: string; content: Uint8Array } | null>;

/** Clones `spec.branch` at depth 1 into `dir` (a .git directory plus the working tree). */
export async function checkout(spec: CheckoutSpec, dir: string): Promise<WorkingCopy> {
  const remote = connect(spec);
  try {
    const advertisement = await discoverRefs(remote.http, remote.url, spec.url);
    const headTarget = advertisement.refs.find((r) => r.ref === "HEAD")?.target;
    const branch = spec.branch ?? headTarget?.replace(/^refs\/heads\//, "") ?? "main";
    const ref = advertisement.refs.find((r) => r.ref === `refs/heads/${branch}`);
    if (!ref) {
      throw new GitError("RefNotFound", `branch "${branch}" not found on the remote`, spec.url);
    }
    const gitdir = `${dir}/.git`;
    await Deno.mkdir(gitdir, { recursive: true });
    const store = await fetchObjects({
      gitdir,
      remote,
      advertisement,
      fetchRef: ref.ref,
      commit: ref.oid,
      needsHistory: false,
      url: spec.url,
    });
    await writeFileAtomic(`${gitdir}/HEAD`, `ref: refs/heads/${branch}\n`);
    await writeFileAtomic(
      `${gitdir}/config`,
      "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n",
    );
    await buildArtifact(dir, filesOf(await commitTree(store, ref.oid)), store, undefined);
    return { dir, branch, head: ref.oid, spec };
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
  const target = `refs/heads/${commit.branch ?? wc.branch}`;
  const gitdir = `${wc.dir}/.git`;
  let store = await ObjectStore.open(gitdir);
  let baseTree = await commitTree(store, wc.head);
  let changes = await workingChanges(wc.dir, baseTree);
  if (changes.size === 0) return undefined;
  const retries = options.retries ?? 3;
  let lastReason = "";
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    const remote = connect(wc.spec);
    try {
      const upload = await discoverRefs(remote.http, remote.url, wc.spec.url);
      const remoteHead = upload.refs.find((r) => r.ref === target)?.oid;
      if (remoteHead !== undefined && remoteHead !== wc.head) {
        // The branch moved (or the push branch already exists): rebuild on its head.
        store = await fetchObjects({
          gitdir,
          remote,
          advertisement: upload,
          fetchRef: target,
          commit: remoteHead,
          needsHistory: false,
          url: wc.spec.url,
        });
        const newTree = await commitTree(store, remoteHead);
        await syncWorkingTree(
          wc.dir,
          baseTree,
          newTree,
          store,
          options.reapply ? undefined : changes,
        );
        if (options.reapply) await options.reapply(wc.dir);
        wc.head = remoteHead;
        baseTree = newTree;
        changes = await workingChanges(wc.dir, baseTree);
        if (changes.size === 0) return undefined; // upstream already has the same content
      }
      const receive = await discoverRefs(remote.http, remote.url, wc.spec.url, "git-receive-pack");
      const current = receive.refs.find((r) => r.ref === target)?.oid ?? ZERO;
      if (current !== (remoteHead ?? ZERO)) {
        lastReason = "the branch moved while the commit was being prepared";
        continue;
      }
      const objects = await newObjects(store, baseTree, changes, wc.head, commit);
      const pack = makePack(objects.all);
      const outcome = await receivePack(
        remote.http,
        remote.url,
        { ref: target, old: current, new: objects.commit },
        pack,
        receive.capabilities,
        wc.spec.url,
        commit.pushOptions,
      );
      if (outcome.ok) {
        await indexPack(pack, `${gitdir}/objects/pack`, store, wc.spec.url);
        await writeFileAtomic(`${gitdir}/${target}`, `${objects.commit}\n`);
        wc.head = objects.commit;
        return { commit: objects.commit, branch: target.slice(11), attempts: attempt };
      }
      lastReason = outcome.reason;
    } catch (error) {
      throw classifyGitError(error, wc.spec.url);
    } finally {
      remote.close();
    }
  }
  throw new GitError(
    "PushRejected",
    `gave up pushing to ${target.slice(11)} after ${retries + 1} attempts: ${lastReason}`,
    wc.spec.url,
  );
}

function connect(spec: CheckoutSpec): Remote {
  const parsed = parseRemoteUrl(spec.url);
  if (parsed.kind === "file") {
    throw new GitError("InvalidSpec", "pushing to a local path is not supported", spec.url);
  }
  return openRemote(parsed, spec.secret, spec.proxySecret, {});
}

function filesOf(tree: Tree): PlannedFile[] {
  return [...tree].filter(([, [mode]]) => mode !== "160000").map(([path, [mode, oid]]) => ({
    path,
    mode,
    oid,
  }));
}

/** The blobs, trees and commit to send: everything the remote cannot have yet. */
async function newObjects(
  store: ObjectStore,
  baseTree: Tree,
  changes: Changes,
  parent: string,
  spec: CommitSpec,
): Promise<{ commit: string; all: NewObject[] }> {
  const files: Tree = new Map(baseTree);
  const all: NewObject[] = [];
  for (const [path, change] of changes) {
    if (change === null) {
      files.delete(path);
      continue;
    }
    const blob = makeObject("blob", change.content);
    files.set(path, [change.mode, blob.oid]);
    if (!await store.has(blob.oid)) all.push(blob);
  }
  const { root, trees } = makeTrees(files);
  for (const tree of trees) if (!await store.has(tree.oid)) all.push(tree);
  const now = new Date();
  const person = (s: Signature) => ({
    name: s.name,
    email: s.email,
    timestamp: s.timestamp ?? now,
  });
  const key = spec.signingKey;
  const commit = await makeCommit(
    {
      tree: root,
      parents: [parent],
      author: person(spec.author),
      committer: person(spec.committer ?? spec.author),
      message: spec.message,
    },
    key
      ? async (payload) => (await signWithOpenPgp(payload, key.armored, key.passphrase)).signature
      : undefined,
  );
  all.unshift(commit);
  return { commit: commit.oid, all };
}

/**
 * What differs between the working tree and `tree` (null: deleted). Compared by content hash:
 * an edit that keeps the size within the same second as the checkout still counts.
 */
async function workingChanges(dir: string, tree: Tree): Promise<Changes> {
  const changes: Changes = new Map();
  const seen = new Set<string>();
  for (const path of await workingFiles(dir, "")) {
    seen.add(path);
    const full = `${dir}/${path}`;
    const stat = await Deno.lstat(full);
    const content = stat.isSymlink
      ? new TextEncoder().encode(await Deno.readLink(full))
      : await Deno.readFile(full);
    const mode = stat.isSymlink ? "120000" : (stat.mode ?? 0) & 0o100 ? "100755" : "100644";
    const before = tree.get(path);
    if (before && before[0] === mode && before[1] === blobId(content)) continue;
    changes.set(path, { mode, content });
  }
  for (const [path, [mode]] of tree) {
    // Submodules are never checked out; their absence is not a deletion.
    if (!seen.has(path) && mode !== "160000") changes.set(path, null);
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

/**
 * Moves the working tree from `from` to `to`, leaving the paths in `keep` (our own changes)
 * alone; without `keep` every path is reset to `to`.
 */
async function syncWorkingTree(
  dir: string,
  from: Tree,
  to: Tree,
  store: ObjectStore,
  keep: Changes | undefined,
): Promise<void> {
  for (const [path] of from) {
    if (!to.has(path) && !keep?.has(path)) await Deno.remove(`${dir}/${path}`).catch(() => {});
  }
  const writes: PlannedFile[] = [];
  for (const [path, [mode, oid]] of to) {
    if (keep?.has(path) || mode === "160000") continue;
    const before = from.get(path);
    if (keep && before && before[0] === mode && before[1] === oid) continue;
    await Deno.remove(`${dir}/${path}`).catch(() => {});
    writes.push({ path, mode, oid });
  }
  if (!keep) {
    // Files our failed attempt added are not in the new head: drop them before re-applying.
    for (const path of await workingFiles(dir, "")) {
      if (!to.has(path)) await Deno.remove(`${dir}/${path}`).catch(() => {});
    }
  }
  await buildArtifact(dir, writes, store, undefined);
}

/** Git's object id of a blob with this content. */
function blobId(content: Uint8Array): string {
  return createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
}
