// lib/git: Git sources and pushes in pure TypeScript (isomorphic-git plus an in-memory object
// reader, HTTP(S), SSH and local remotes).
export { fetchGitArtifact, GitFetchError, lastGitArtifact } from "./fetch.ts";
export type {
  Artifact,
  FetchOptions,
  GitFetchSpec,
  IncludeSpec,
  VerifySpec,
} from "./fetch_types.ts";
export type { GitRefSpec } from "./refs.ts";
export type { SecretData } from "./auth.ts";
export { GitError, type GitErrorReason, redactUrl } from "./errors.ts";
export { DEFAULT_PATTERNS, isIgnored, parsePatterns, VCS_PATTERNS } from "./ignore.ts";
export { parseRemoteUrl, type RemoteUrl } from "./url.ts";
export {
  checkout,
  type CheckoutSpec,
  commitAndPush,
  type CommitSpec,
  type PushOptions,
  type PushResult,
  type Signature,
  type WorkingCopy,
} from "./push.ts";
