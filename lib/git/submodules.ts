// spec.recurseSubmodules: each gitlink (tree entry of mode 160000) of a commit is replaced by
// the files of the commit it records, fetched from the URL `.gitmodules` gives for its path,
// recursively (at most 10 levels, as Flux's go-git; deeper submodules stay empty).
//
// Each submodule URL has its own object store in the source's cache, so a new parent commit
// fetches only what changed in each submodule, and one whose pinned commits did not move
// fetches nothing. The parent's credentials go only to submodules on the same origin (scheme,
// host, port); others get only its CA certificate. URLs are checked by resolveSubmoduleUrl.
import type { SecretData } from "./auth.ts";
import { compactGitdir, moduleGitdir, pruneModules } from "./cache.ts";
import { commitEntries, type TreeEntry } from "./artifact.ts";
import { GitError, redactUrl } from "./errors.ts";
import { fetchObjects } from "./fetch_objects.ts";
import { parseGitmodules, type SubmoduleEntry } from "./gitmodules.ts";
import { localGitdir } from "./local_refs.ts";
import { ObjectStore } from "./objects/store.ts";
import { discoverRefs } from "./protocol/discovery.ts";
import { openRemote } from "./remote.ts";
import { resolveSubmoduleUrl, sameOrigin } from "./submodule_url.ts";
import { parseRemoteUrl } from "./url.ts";

/** Flux (go-git's DefaultSubmoduleRecursionDepth) stops here. */
export const MAX_SUBMODULE_DEPTH = 10;

export interface SubmoduleOptions {
  /** The GitRepository's URL: relative URLs of its own submodules resolve against it. */
  url: string;
  /** Its spec.secretRef data: used as is for submodules on the same origin. */
  secret?: SecretData;
  proxySecret?: SecretData;
  /** Where submodule object stores are kept (SourceCache.modulesDir). */
  modulesDir: string;
  signal?: AbortSignal;
  maxBytes?: number;
}

/**
 * `entries` (a commit's tree, directories before contents) with every gitlink replaced by a
 * directory holding the submodule's entries, in the same order. Throws a GitError naming the
 * submodule's path and URL when one cannot be fetched.
 */
export async function withSubmodules(
  entries: TreeEntry[],
  options: SubmoduleOptions,
): Promise<TreeEntry[]> {
  const used = new Set<string>();
  const expanded = await expand(entries, options.url, "", 1, { ...options, used });
  // Submodules dropped from the repository (or moved to another URL) leave no objects behind.
  await pruneModules(options.modulesDir, used);
  return expanded;
}

interface Expansion extends SubmoduleOptions {
  /** Object stores of submodules this expansion used. */
  used: Set<string>;
}

async function expand(
  entries: TreeEntry[],
  parentUrl: string,
  prefix: string,
  depth: number,
  options: Expansion,
): Promise<TreeEntry[]> {
  if (!entries.some((e) => e.mode === "160000")) {
    return prefix === "" ? entries : entries.map((e) => ({ ...e, path: prefix + e.path }));
  }
  const declared = await declaredSubmodules(entries, options.url, prefix);
  const out: TreeEntry[] = [];
  for (const entry of entries) {
    if (entry.mode !== "160000") {
      out.push({ ...entry, path: prefix + entry.path });
      continue;
    }
    const path = prefix + entry.path;
    const submodule = declared.find((s) => s.path === entry.path);
    if (!submodule?.url) {
      throw new GitError(
        "GitOperationFailed",
        `submodule "${path}": no url for this path in ${prefix}.gitmodules`,
        options.url,
      );
    }
    const url = resolveSubmoduleUrl(submodule.url, parentUrl, path, options.url);
    let store: ObjectStore;
    try {
      store = await fetchSubmoduleCommit(url, entry.oid, options);
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      // The reason (AuthFailed, Unreachable...) stays; the message says which submodule.
      const shown = redactUrl(url);
      const message = error.message.startsWith(`${shown}: `)
        ? error.message.slice(shown.length + 2)
        : error.message;
      throw new GitError(
        error.reason,
        `submodule "${path}" (${shown}): ${message}`,
        options.url,
        error,
      );
    }
    out.push({ ...entry, path, mode: "40000" });
    const inner = await commitEntries(store, entry.oid);
    if (depth >= MAX_SUBMODULE_DEPTH) {
      out.push(...inner.map((e) => ({ ...e, path: `${path}/${e.path}` })));
    } else out.push(...await expand(inner, url, `${path}/`, depth + 1, options));
  }
  return out;
}

/** The `.gitmodules` of a tree, with each path checked to stay inside the artifact. */
async function declaredSubmodules(
  entries: TreeEntry[],
  repoUrl: string,
  prefix: string,
): Promise<SubmoduleEntry[]> {
  const file = entries.find((e) => e.path === ".gitmodules" && e.mode !== "40000");
  if (!file) return [];
  const text = new TextDecoder().decode(await file.store.readTyped(file.oid, "blob"));
  let declared: SubmoduleEntry[];
  try {
    declared = parseGitmodules(text, `${prefix}.gitmodules`);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    throw new GitError(error.reason, error.message, repoUrl, error);
  }
  for (const submodule of declared) {
    if (submodule.path === undefined) continue;
    const parts = submodule.path.split("/");
    if (submodule.path.startsWith("/") || parts.includes("..")) {
      throw new GitError(
        "GitOperationFailed",
        `submodule "${submodule.name}": path "${submodule.path}" in ${prefix}.gitmodules ` +
          "leaves the repository; a submodule path must be relative and stay inside it",
        repoUrl,
      );
    }
    submodule.path = parts.filter((p) => p !== "" && p !== ".").join("/");
  }
  return declared;
}

/** An object store holding `commit` of the repository at `url`, fetched when not cached. */
async function fetchSubmoduleCommit(
  url: string,
  commit: string,
  options: Expansion,
): Promise<ObjectStore> {
  const remoteUrl = parseRemoteUrl(url);
  if (remoteUrl.kind === "file") {
    const store = await ObjectStore.open(await localGitdir(remoteUrl.path, url));
    if (!await store.has(commit)) {
      throw new GitError("RefNotFound", `commit ${commit} is not in the repository`, url);
    }
    return store;
  }
  const gitdir = moduleGitdir(options.modulesDir, url);
  options.used.add(gitdir);
  const cached = await ObjectStore.open(gitdir);
  if (await cached.has(commit)) return cached;
  await compactGitdir(gitdir);

  const remote = openRemote(remoteUrl, secretFor(url, options), options.proxySecret, {
    signal: options.signal,
    maxBytes: options.maxBytes,
  });
  try {
    const advertisement = await discoverRefs(remote.http, remote.url, url);
    const tip = advertisement.refs.find((r) => r.ref.startsWith("refs/") && r.oid === commit);
    const request = {
      gitdir,
      remote,
      advertisement,
      commit,
      url,
      maxBytes: options.maxBytes,
    };
    try {
      // The recorded commit itself, depth 1: git's smart HTTP serves any commit reachable from
      // a ref, and so do GitHub and GitLab over SSH. A ref name the server does not advertise
      // makes fetchObjects ask for the commit by its id.
      return await fetchObjects({
        ...request,
        fetchRef: tip?.ref ?? "refs/skiff/submodule",
        needsHistory: false,
      });
    } catch (error) {
      const fatal = ["TooLarge", "Timeout", "AuthFailed", "Unreachable", "HostKeyMismatch"];
      if (!(error instanceof GitError) || fatal.includes(error.reason)) throw error;
      // A server that hands out only ref tips ("not our ref"): the default branch's history,
      // where a pinned commit usually is, as `git submodule update` falls back to.
      const head = advertisement.refs.find((r) => r.ref === "HEAD")?.target ??
        advertisement.refs.find((r) => r.ref.startsWith("refs/heads/"))?.ref;
      if (!head || tip) throw error;
      // A new ref listing first: over SSH each upload-pack request needs its own session.
      const fresh = await discoverRefs(remote.http, remote.url, url);
      return await fetchObjects({
        ...request,
        advertisement: fresh,
        fetchRef: head,
        needsHistory: true,
      });
    }
  } finally {
    remote.close();
  }
}

/** The parent's secret on its own origin; elsewhere only the CA it trusts (no credentials). */
function secretFor(url: string, options: SubmoduleOptions): SecretData | undefined {
  const secret = options.secret;
  if (!secret) return undefined;
  if (sameOrigin(url, options.url)) return secret;
  const caCert = secret["ca.crt"] ?? secret["caFile"];
  return caCert ? { "ca.crt": caCert } : undefined;
}
