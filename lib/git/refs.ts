// spec.ref → which ref to fetch, which commit to build from, and Flux's revision string:
//   branch  main@sha1:<hex>          tag     v1.2.3@sha1:<hex> (annotated tags peeled)
//   semver  <highest tag>@sha1:<hex> name    refs/pull/42/head@sha1:<hex>
//   commit  sha1:<hex>, or <branch>@sha1:<hex> when a branch is given too
// Precedence as in Flux: commit, then name, then semver, then tag, then branch (default master).
import { maxSatisfying, parseConstraint, parseVersion, SemverError } from "../semver/mod.ts";
import { GitError } from "./errors.ts";

export interface GitRefSpec {
  branch?: string;
  tag?: string;
  semver?: string;
  name?: string;
  commit?: string;
}

/** A ref as the remote advertises it; `peeled` is the commit an annotated tag points to. */
export interface RemoteRef {
  ref: string;
  oid: string;
  peeled?: string;
  target?: string;
}

export interface ResolvedRef {
  /** The full ref to fetch ("refs/heads/main"); for a bare commit, the remote's HEAD branch. */
  fetchRef: string;
  /** The commit the artifact is built from. */
  commit: string;
  /** Flux's revision string. */
  revision: string;
  /** True when the commit may be deep in history (spec.ref.commit): fetch without depth. */
  needsHistory: boolean;
}

const DEFAULT_BRANCH = "master";
const FULL_SHA = /^[0-9a-f]{40}$/;

export function resolveRef(
  spec: GitRefSpec | undefined,
  refs: RemoteRef[],
  url: string,
): ResolvedRef {
  const ref = spec ?? {};
  const find = (name: string) => refs.find((r) => r.ref === name);
  const commitOf = (r: RemoteRef) => r.peeled ?? r.oid;

  if (ref.commit) {
    const commit = ref.commit.toLowerCase();
    // Flux looks the commit up by its full hash: a short SHA never resolves there ("object
    // not found"). Refused here with what to do instead, before anything is fetched.
    if (!FULL_SHA.test(commit)) {
      const hint = /^[0-9a-f]{4,39}$/.test(commit)
        ? `; "${ref.commit}" looks like a short SHA: use the full one (git rev-parse ${ref.commit})`
        : "";
      throw new GitError(
        "InvalidSpec",
        `spec.ref.commit: expected a full 40-character SHA-1, got "${ref.commit}"${hint}`,
        url,
      );
    }
    if (ref.branch) {
      const branch = find(`refs/heads/${ref.branch}`);
      if (!branch) throw notFound(url, `branch "${ref.branch}"`, refs);
      return {
        fetchRef: branch.ref,
        commit,
        revision: `${ref.branch}@sha1:${commit}`,
        needsHistory: true,
      };
    }
    const head = find("HEAD");
    const fetchRef = head?.target ?? refs.find((r) => r.ref.startsWith("refs/heads/"))?.ref;
    if (!fetchRef) throw notFound(url, "a default branch", refs);
    return { fetchRef, commit, revision: `sha1:${commit}`, needsHistory: true };
  }

  if (ref.name) {
    const named = find(ref.name);
    if (!named) throw notFound(url, `ref "${ref.name}"`, refs);
    const commit = commitOf(named);
    return {
      fetchRef: named.ref,
      commit,
      revision: `${ref.name}@sha1:${commit}`,
      needsHistory: false,
    };
  }

  if (ref.semver) {
    let constraint;
    try {
      constraint = parseConstraint(ref.semver);
    } catch (error) {
      const why = error instanceof SemverError ? error.reason : String(error);
      throw new GitError("InvalidSpec", `spec.ref.semver "${ref.semver}": ${why}`, url, error);
    }
    const tags = refs.filter((r) => r.ref.startsWith("refs/tags/") && !r.ref.endsWith("^{}"));
    const names = tags.map((r) => r.ref.slice("refs/tags/".length));
    const best = maxSatisfying(names, constraint, parseVersion);
    if (!best) {
      throw new GitError(
        "NoMatchingTag",
        `no tag matches the semver range "${ref.semver}" (${names.length} tags)`,
        url,
      );
    }
    const tag = tags.find((r) => r.ref === `refs/tags/${best.original}`)!;
    const commit = commitOf(tag);
    return {
      fetchRef: tag.ref,
      commit,
      revision: `${best.original}@sha1:${commit}`,
      needsHistory: false,
    };
  }

  if (ref.tag) {
    const tag = find(`refs/tags/${ref.tag}`);
    if (!tag) throw notFound(url, `tag "${ref.tag}"`, refs);
    const commit = commitOf(tag);
    return {
      fetchRef: tag.ref,
      commit,
      revision: `${ref.tag}@sha1:${commit}`,
      needsHistory: false,
    };
  }

  const branchName = ref.branch ?? DEFAULT_BRANCH;
  const branch = find(`refs/heads/${branchName}`);
  if (!branch) throw notFound(url, `branch "${branchName}"`, refs);
  return {
    fetchRef: branch.ref,
    commit: branch.oid,
    revision: `${branchName}@sha1:${branch.oid}`,
    needsHistory: false,
  };
}

function notFound(url: string, what: string, refs: RemoteRef[]): GitError {
  const branches = refs.filter((r) => r.ref.startsWith("refs/heads/")).map((r) => r.ref.slice(11));
  const hint = branches.length > 0
    ? ` (branches: ${branches.slice(0, 5).join(", ")}${branches.length > 5 ? ", ..." : ""})`
    : "";
  return new GitError("RefNotFound", `${what} not found on the remote${hint}`, url);
}
