// lib/git: Git in pure TypeScript, no git binary.
//
// skiff speaks the pack protocol itself: on the 10,000-file bench repository isomorphic-git
// took 21 s to clone and 9 s to read the objects back. One ref listing per poll; a depth-1
// upload-pack request, then "deepen-since" requests that bring only what is new; a native-zlib
// pack indexer; artifacts built straight from the object store (no working tree); receive-pack
// for pushes from a working copy. Remotes: http(s)://, ssh:// and user@host:path (ssh2, host
// key checked against known_hosts), file:// and absolute paths.
//
// Auth from the spec.secretRef Secret, with Flux's keys: username/password or bearerToken,
// ca.crt, tls.crt/tls.key (a client certificate for mutual TLS; certFile/keyFile/caFile in older
// Flux), identity/known_hosts for SSH; spec.proxySecretRef's address/username/password.
// recurseSubmodules fetches the submodules .gitmodules declares at the commits the tree pins,
// recursively (submodules.ts says which URLs and credentials are allowed); without it a
// submodule is an empty directory, as in Flux.
//
//   const artifact = await fetchGitArtifact({ url, ref: { branch: "main" }, secret,
//     recurseSubmodules: true }, cacheDir, { key: "flux-system/fleet" });
//                                              // throws GitFetchError { reason, lastArtifact }
//   const wc = await checkout({ url, branch: "main", secret }, dir);
//   await commitAndPush(wc, { author, message }, { retries: 3 });
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
export { pushHeadToRef } from "./push_ref.ts";
