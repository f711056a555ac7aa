// Turns a commit into an artifact directory without a Git working tree: the tree is walked in
// the object store, ignore rules decide what is kept, and the kept blobs are written straight
// to disk. The digest is sha256 over the sorted (path, mode, size, content) of every kept file,
// so two artifacts with the same digest have the same files, whatever commit they came from.
import { createHash } from "node:crypto";
import { GitError } from "./errors.ts";
import { artifactPatterns, isIgnored } from "./ignore.ts";
import { parseCommit, parseTree } from "./objects/parse.ts";
import type { ObjectStore } from "./objects/store.ts";

export interface ArtifactFile {
  /** "/"-separated path relative to the artifact root. */
  path: string;
  /** "100644", "100755" or "120000" (symlink; content is the target). */
  mode: string;
  content: Uint8Array;
}

interface Entry {
  path: string;
  mode: string;
  oid: string;
}

export interface MaterializeOptions {
  /** `spec.ignore` (undefined: Flux's default exclusions). */
  ignore?: string;
  /** Refuse when the kept files add up to more than this many bytes. */
  maxBytes?: number;
}

/** Reads the kept files of a commit (ignore rules applied), sorted by path. */
export async function readCommitFiles(
  store: ObjectStore,
  commitOid: string,
  options: MaterializeOptions = {},
): Promise<ArtifactFile[]> {
  const commit = parseCommit(await store.readTyped(commitOid, "commit"), commitOid);
  const entries: Entry[] = [];
  await walk(store, commit.tree, "", entries);

  const sourceIgnores: { dir: string; text: string }[] = [];
  for (const e of entries) {
    if (e.path === ".sourceignore" || e.path.endsWith("/.sourceignore")) {
      const dir = e.path.includes("/") ? e.path.slice(0, e.path.lastIndexOf("/")) : "";
      const text = new TextDecoder().decode(await store.readTyped(e.oid, "blob"));
      sourceIgnores.push({ dir, text });
    }
  }
  const patterns = artifactPatterns(options.ignore, sourceIgnores);

  const ignoredDirs = new Set<string>();
  const files: ArtifactFile[] = [];
  let total = 0;
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
    // Submodules (gitlinks) are not fetched, as in Flux without recurseSubmodules.
    if (e.mode === "160000" || isIgnored(patterns, e.path, false)) continue;
    const content = await store.readTyped(e.oid, "blob");
    total += content.length;
    if (options.maxBytes !== undefined && total > options.maxBytes) {
      throw new GitError(
        "TooLarge",
        `the files of commit ${commitOid} exceed the size limit of ${options.maxBytes} bytes`,
      );
    }
    files.push({ path: e.path, mode: e.mode === "100755" ? "100755" : e.mode, content });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Pre-order walk: a directory entry comes before its contents. */
async function walk(store: ObjectStore, treeOid: string, prefix: string, out: Entry[]) {
  const tree = parseTree(await store.readTyped(treeOid, "tree"), treeOid);
  for (const entry of tree) {
    if (entry.name.includes("/") || entry.name === ".." || entry.name === ".") {
      throw new GitError("CorruptPack", `tree ${treeOid} has an unsafe entry "${entry.name}"`);
    }
    const path = prefix + entry.name;
    out.push({ path, mode: entry.mode, oid: entry.oid });
    if (entry.mode === "40000") await walk(store, entry.oid, path + "/", out);
  }
}

/** "sha256:<hex>" over the files in path order. */
export function digestFiles(files: ArtifactFile[]): string {
  const hash = createHash("sha256");
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const f of sorted) {
    hash.update(`${f.path}\0${f.mode}\0${f.content.length}\0`);
    hash.update(f.content);
  }
  return `sha256:${hash.digest("hex")}`;
}

/**
 * Writes files under `dir` (which must not exist yet). Symlinks are kept only when their target
 * stays inside the artifact: a repository must not make the agent read outside it.
 */
export async function writeFiles(dir: string, files: ArtifactFile[]): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const made = new Set<string>([""]);
  const ensureDir = async (relative: string) => {
    if (made.has(relative)) return;
    await Deno.mkdir(`${dir}/${relative}`, { recursive: true });
    made.add(relative);
  };
  const pending: Promise<void>[] = [];
  for (const f of files) {
    const slash = f.path.lastIndexOf("/");
    await ensureDir(slash < 0 ? "" : f.path.slice(0, slash));
    const full = `${dir}/${f.path}`;
    if (f.mode === "120000") {
      const target = new TextDecoder().decode(f.content);
      if (symlinkStaysInside(f.path, target)) pending.push(Deno.symlink(target, full));
      continue;
    }
    pending.push(Deno.writeFile(full, f.content, { mode: f.mode === "100755" ? 0o755 : 0o644 }));
    // Bounded parallelism: enough to overlap syscalls, not enough to exhaust file handles.
    if (pending.length >= 64) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
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
