// The shapes fetchGitArtifact takes and returns.
import type { Logger } from "../log/mod.ts";
import type { SecretData } from "./auth.ts";
import type { GitRefSpec } from "./refs.ts";

/** What a consumer (Kustomization, HelmRelease) renders from. */
export interface Artifact {
  /** Flux's revision string: "main@sha1:<hex>", "v1.2.3@sha1:<hex>", "sha1:<hex>". */
  revision: string;
  /** "sha256:<hex>" over the artifact's files (see artifact.ts). */
  digest: string;
  /**
   * Directory holding the files. It is not modified while it is the latest artifact, nor while
   * the next one is served; the fetch after that rewrites it (two directories take turns).
   */
  dir: string;
  /** When this content was first produced (RFC 3339). */
  lastUpdateTime: string;
  /** The URL it came from (no credentials). */
  url: string;
  /** Number of files and their total size in bytes. */
  files: number;
  size: number;
}

export interface IncludeSpec {
  /** The artifact of the included GitRepository. */
  artifact: Artifact;
  /** Directory inside the included artifact to copy (default: all of it). */
  fromPath?: string;
  /** Directory inside this artifact to copy to (Flux defaults it to the included source's name). */
  toPath: string;
}

export interface VerifySpec {
  /** Flux's spec.verify.mode: "HEAD" (default), "Tag" or "TagAndHEAD". */
  mode?: "HEAD" | "head" | "Tag" | "TagAndHEAD";
  /** ASCII-armoured OpenPGP public keys (the values of the verify Secret). */
  publicKeys: string[];
}

export interface GitFetchSpec {
  url: string;
  ref?: GitRefSpec;
  /** Data of the spec.secretRef Secret (decoded). */
  secret?: SecretData;
  /** Data of the spec.proxySecretRef Secret (decoded): address, username, password. */
  proxySecret?: SecretData;
  /** spec.ignore: gitignore lines; undefined keeps Flux's default exclusions. */
  ignore?: string;
  include?: IncludeSpec[];
  /** spec.timeout in milliseconds (default 60 s). */
  timeout?: number;
  verify?: VerifySpec;
  /**
   * spec.recurseSubmodules: put each submodule's files (at the commit the tree records) in the
   * artifact at its path, recursively. Without it submodules are left out, as in Flux.
   */
  recurseSubmodules?: boolean;
}

export interface FetchOptions {
  /** Names this source's cache directory (e.g. "flux-system/podinfo"); default: the URL. */
  key?: string;
  /** Refuse downloads and artifacts larger than this (bytes). */
  maxBytes?: number;
  logger?: Logger;
  clock?: () => Date;
}
