// The first commit of a repository that has none. lib/git pushes on top of an existing commit
// only, so this one case goes through isomorphic-git (already a dependency): a handful of small
// files, where its speed does not matter. HTTP(S) remotes only; the caller says what to do for
// others.
import git from "isomorphic-git";
import http from "isomorphic-git/http/node";
import fs from "node:fs";
import type { SecretData, Signature } from "../../lib/git/mod.ts";

export interface FirstCommit {
  url: string;
  branch: string;
  secret?: SecretData;
  author: Signature;
  message: string;
  /** Working directory already holding the files to commit (repository-relative paths). */
  dir: string;
  paths: string[];
}

/** Commits `paths` as a root commit on `branch` and pushes it; returns the commit id. */
export async function pushFirstCommit(spec: FirstCommit): Promise<string> {
  await git.init({ fs, dir: spec.dir, defaultBranch: spec.branch });
  for (const path of spec.paths) await git.add({ fs, dir: spec.dir, filepath: path });
  const person = {
    name: spec.author.name,
    email: spec.author.email,
    timestamp: Math.floor((spec.author.timestamp ?? new Date()).getTime() / 1000),
    timezoneOffset: 0,
  };
  const commit = await git.commit({
    fs,
    dir: spec.dir,
    message: spec.message,
    author: person,
    committer: person,
  });
  const result = await git.push({
    fs,
    http,
    dir: spec.dir,
    url: spec.url,
    ref: spec.branch,
    remoteRef: `refs/heads/${spec.branch}`,
    headers: authHeaders(spec.secret),
  });
  if (!result.ok) {
    throw new Error(`the server refused the first commit: ${result.error ?? "unknown reason"}`);
  }
  return commit;
}

function authHeaders(secret: SecretData | undefined): Record<string, string> {
  if (secret?.bearerToken) return { authorization: `Bearer ${secret.bearerToken}` };
  if (secret?.username !== undefined && secret.password !== undefined) {
    return { authorization: `Basic ${btoa(`${secret.username}:${secret.password}`)}` };
  }
  return {};
}
