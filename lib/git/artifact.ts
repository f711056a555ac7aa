// Turns a commit into an artifact directory without a Git working tree: the tree is walked in
// the object store, ignore rules decide what is kept, and the kept blobs are written straight
// to disk. An artifact directory is updated in place from its manifest (only changed files are
// written) or, when its state is unknown, written afresh with unchanged files hard-linked from
// the other artifact, so a new commit costs about what it changed.
//
// The digest is sha256 over the sorted lines "path NUL mode NUL size NUL sha256(content)": two
// artifacts with the same digest have the same files, whatever commit they came from.
//
// A submodule that is not fetched (no recurseSubmodules, or nested deeper than Flux goes) is an
// empty directory, as in Flux's checkout; it is recorded like a file of mode 40000.
import { createHash } from "node:crypto";
import { GitError } from "./errors.ts";
import { artifactPatterns, isIgnored } from "./ignore.ts";
import { parseCommit, parseTree } from "./objects/parse.ts";
import type { ObjectStore } from "./objects/store.ts";

/** Mode of an empty directory in the artifact (an unfetched submodule). */
export const EMPTY_DIR_MODE = "40000";
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** A file to put in the artifact: a blob of the object store, or bytes (spec.include). */
export interface PlannedFile {
  /** "/"-separated path relative to the artifact root. */
  path: string;
  /** "100644", "100755", "120000" (symlink; content is the target) or "40000" (empty directory). */
  mode: string;
  oid?: string;
  /** The object store holding `oid` when it is not the one the artifact is built from (a submodule's). */
  store?: ObjectStore;
  content?: Uint8Array;
}

/** What was written for each path, to reuse unchanged files next time. */
export interface Manifest {
  dir: string;
  /** path → [mode, blob oid or "", size, sha256 hex]. */
  files: Record<string, [string, string, number, string]>;
}

/** An entry of a commit's tree, walked recursively; gitlinks (submodules) have mode 160000. */
export interface TreeEntry {
  path: string;
  mode: string;
  oid: string;
  /** The object store the entry's object is read from. */
  store: ObjectStore;
}

export interface ListOptions {
  /** `spec.ignore` (undefined: Flux's default exclusions). */
  ignore?: string;
}

/** The kept files of a commit (ignore rules applied), sorted by path. */
export async function listCommitFiles(
  store: ObjectStore,
  commitOid: string,
  options: ListOptions = {},
): Promise<PlannedFile[]> {
  return await keptFiles(await commitEntries(store, commitOid), options);
}

/** Every entry of a commit's tree, directories before their contents. */
export async function commitEntries(store: ObjectStore, commitOid: string): Promise<TreeEntry[]> {
  const commit = parseCommit(await store.readTyped(commitOid, "commit"), commitOid);
  const entries: TreeEntry[] = [];
  await walk(store, commit.tree, "", entries);
  return entries;
}

/**
 * The files of `entries` (directories before their contents) that the ignore rules keep,
 * sorted by path. Gitlinks left in `entries` (submodules not fetched) become empty directories.
 */
export async function keptFiles(
  entries: TreeEntry[],
  options: ListOptions = {},
): Promise<PlannedFile[]> {
  const sourceIgnores: { dir: string; text: string }[] = [];
  for (const e of entries) {
    if (e.path === ".sourceignore" || e.path.endsWith("/.sourceignore")) {
      const dir = e.path.includes("/") ? e.path.slice(0, e.path.lastIndexOf("/")) : "";
      const text = new TextDecoder().decode(await e.store.readTyped(e.oid, "blob"));
      sourceIgnores.push({ dir, text });
    }
  }
  const patterns = artifactPatterns(options.ignore, sourceIgnores);

  const ignoredDirs = new Set<string>();
  const files: PlannedFile[] = [];
  for (const e of entries) {
    const slash = e.path.lastIndexOf("/");
    const parent = slash < 0 ? "" : e.path.slice(0, slash);
    if (parent !== "" && ignoredDirs.has(parent)) {
      if (e.mode === "40000") ignoredDirs.add(e.path);
      continue;
    }
    if (e.mode === "40000") {
      if (isIgnored(patterns, e.path, true)) ignoredDirs.add(e.path);
      continue;
    }
    if (e.mode === "160000") {
      if (!isIgnored(patterns, e.path, true)) files.push({ path: e.path, mode: EMPTY_DIR_MODE });
      continue;
    }
    if (isIgnored(patterns, e.path, false)) continue;
    files.push({ path: e.path, mode: e.mode, oid: e.oid, store: e.store });
  }
  return files.sort(byPath);
}

export function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Every file of a commit's tree (no ignore rules): path → [mode, blob oid]. */
export async function commitTree(
  store: ObjectStore,
  commitOid: string,
): Promise<Map<string, [string, string]>> {
  const entries = await commitEntries(store, commitOid);
  return new Map(entries.filter((e) => e.mode !== "40000").map((e) => [e.path, [e.mode, e.oid]]));
}

/** Pre-order walk: a directory entry comes before its contents. */
async function walk(store: ObjectStore, treeOid: string, prefix: string, out: TreeEntry[]) {
  const tree = parseTree(await store.readTyped(treeOid, "tree"), treeOid);
  for (const entry of tree) {
    if (entry.name.includes("/") || entry.name === ".." || entry.name === ".") {
      throw new GitError("CorruptPack", `tree ${treeOid} has an unsafe entry "${entry.name}"`);
    }
    const path = prefix + entry.name;
    out.push({ path, mode: entry.mode, oid: entry.oid, store });
    if (entry.mode === "40000") await walk(store, entry.oid, path + "/", out);
  }
}

export interface BuildResult {
  digest: string;
  size: number;
  manifest: Manifest;
}

/**
 * Writes `files` under `dir` (which must not exist yet), hard-linking files unchanged since
 * `previous`. Symlinks are kept only when their target stays inside the artifact: a repository
 * must not make the agent read outside it.
 */
export async function buildArtifact(
  dir: string,
  files: PlannedFile[],
  store: ObjectStore | undefined,
  previous: Manifest | undefined,
  maxBytes?: number,
): Promise<BuildResult> {
  await Deno.mkdir(dir, { recursive: true });
  const made = new Set<string>([""]);
  const manifest: Manifest = { dir, files: {} };
  const hash = createHash("sha256");
  let size = 0;
  const pending: Promise<void>[] = [];
  for (const f of [...files].sort(byPath)) {
    const slash = f.path.lastIndexOf("/");
    const parent = slash < 0 ? "" : f.path.slice(0, slash);
    if (!made.has(parent)) {
      await Deno.mkdir(`${dir}/${parent}`, { recursive: true });
      made.add(parent);
    }
    const full = `${dir}/${f.path}`;
    const before = f.oid ? previous?.files[f.path] : undefined;
    let record: [string, string, number, string];
    if (f.mode === EMPTY_DIR_MODE) {
      record = [EMPTY_DIR_MODE, "", 0, EMPTY_SHA256];
      await Deno.mkdir(full, { recursive: true });
      made.add(f.path);
    } else if (
      before && before[0] === f.mode && before[1] === f.oid && f.mode !== "120000"
    ) {
      record = before;
      const from = `${previous!.dir}/${f.path}`;
      pending.push(Deno.link(from, full).catch(() => copyFallback(from, full)));
    } else {
      const content = f.content ?? await (f.store ?? store)!.readTyped(f.oid!, "blob");
      record = [
        f.mode,
        f.oid ?? "",
        content.length,
        createHash("sha256").update(content).digest("hex"),
      ];
      if (f.mode === "120000") {
        const target = new TextDecoder().decode(content);
        if (!symlinkStaysInside(f.path, target)) continue;
        pending.push(Deno.symlink(target, full));
      } else {
        pending.push(Deno.writeFile(full, content, { mode: f.mode === "100755" ? 0o755 : 0o644 }));
      }
    }
    size += record[2];
    if (maxBytes !== undefined && size > maxBytes) {
      await Promise.allSettled(pending);
      throw new GitError(
        "TooLarge",
        `the artifact's files exceed the size limit of ${maxBytes} bytes`,
      );
    }
    manifest.files[f.path] = record;
    hash.update(`${f.path}\0${f.mode}\0${record[2]}\0${record[3]}\n`);
    // Bounded parallelism: enough to overlap syscalls, not enough to exhaust file handles.
    if (pending.length >= 64) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  return { digest: `sha256:${hash.digest("hex")}`, size, manifest };
}

/**
 * Brings `dir` to hold exactly `files`, touching only what differs from `stale` (what `dir`
 * holds now, per its manifest). Without a manifest the directory's state is unknown: it is
 * emptied and written afresh, hard-linking unchanged files from `linkFrom`.
 */
export async function updateArtifact(
  dir: string,
  files: PlannedFile[],
  store: ObjectStore | undefined,
  stale: Manifest | undefined,
  linkFrom: Manifest | undefined,
  maxBytes?: number,
): Promise<BuildResult> {
  if (!stale) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    return await buildArtifact(dir, files, store, linkFrom, maxBytes);
  }
  const wanted = new Set(files.map((f) => f.path));
  // Removals first: a path that turns from a file into a directory needs the file gone.
  const removed = Object.keys(stale.files).filter((path) => !wanted.has(path));
  for (const path of removed) await Deno.remove(`${dir}/${path}`).catch(() => {});
  for (const path of removed) await removeEmptyParents(dir, path);

  const manifest: Manifest = { dir, files: {} };
  const hash = createHash("sha256");
  let size = 0;
  for (const f of [...files].sort(byPath)) {
    const before = stale.files[f.path];
    let record: [string, string, number, string] | undefined;
    if (f.mode === EMPTY_DIR_MODE) {
      record = [EMPTY_DIR_MODE, "", 0, EMPTY_SHA256];
      if (before?.[0] !== EMPTY_DIR_MODE) await placeEmptyDir(dir, f.path);
    } else if (before && before[0] === f.mode && f.oid && before[1] === f.oid) record = before;
    const content = record
      ? undefined
      : f.content ?? await (f.store ?? store)!.readTyped(f.oid!, "blob");
    if (content) {
      const sha = createHash("sha256").update(content).digest("hex");
      const same = before && before[0] === f.mode && before[3] === sha;
      record = [f.mode, f.oid ?? "", content.length, sha];
      if (!same) await place(dir, f.path, f.mode, content);
    }
    size += record![2];
    if (maxBytes !== undefined && size > maxBytes) {
      throw new GitError(
        "TooLarge",
        `the artifact's files exceed the size limit of ${maxBytes} bytes`,
      );
    }
    manifest.files[f.path] = record!;
    hash.update(`${f.path}\0${f.mode}\0${record![2]}\0${record![3]}\n`);
  }
  return { digest: `sha256:${hash.digest("hex")}`, size, manifest };
}

/** Writes one file (or symlink) in place of whatever is at `path`. */
async function place(dir: string, path: string, mode: string, content: Uint8Array): Promise<void> {
  const full = `${dir}/${path}`;
  await Deno.remove(full, { recursive: true }).catch(() => {});
  await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
  if (mode === "120000") {
    const target = new TextDecoder().decode(content);
    if (symlinkStaysInside(path, target)) await Deno.symlink(target, full);
    return;
  }
  await Deno.writeFile(full, content, { mode: mode === "100755" ? 0o755 : 0o644 });
}

/** An empty directory in place of whatever is at `path`. */
async function placeEmptyDir(dir: string, path: string): Promise<void> {
  await Deno.remove(`${dir}/${path}`, { recursive: true }).catch(() => {});
  await Deno.mkdir(`${dir}/${path}`, { recursive: true });
}

/** Removes the directories above `path` that became empty (up to the artifact root). */
async function removeEmptyParents(dir: string, path: string): Promise<void> {
  let parent = path;
  while (parent.includes("/")) {
    parent = parent.slice(0, parent.lastIndexOf("/"));
    try {
      await Deno.remove(`${dir}/${parent}`); // fails when not empty: stop there
    } catch {
      return;
    }
  }
}

async function copyFallback(from: string, to: string): Promise<void> {
  await Deno.copyFile(from, to);
}

function symlinkStaysInside(path: string, target: string): boolean {
  if (target.startsWith("/")) return false;
  const parts = path.split("/").slice(0, -1);
  for (const segment of target.split("/")) {
    if (segment === "..") {
      if (parts.length === 0) return false;
      parts.pop();
    } else if (segment !== "." && segment !== "") parts.push(segment);
  }
  return true;
}
