// What kind of remote a GitRepository URL names: HTTP(S), SSH (`ssh://` or scp-like
// `git@host:path`) or a local repository (`file://` or an absolute path, for air-gapped sites).
import { GitError } from "./errors.ts";

export type RemoteUrl =
  | { kind: "http"; url: string }
  | { kind: "ssh"; url: string; user: string; host: string; port: number; path: string }
  | { kind: "file"; url: string; path: string };

const SCP_LIKE = /^(?:([^@/]+)@)?([^:/]+):(?!\/\/)(.+)$/;

export function parseRemoteUrl(url: string): RemoteUrl {
  if (/^https?:\/\//i.test(url)) return { kind: "http", url };
  if (/^file:\/\//i.test(url)) {
    return { kind: "file", url, path: decodeURIComponent(new URL(url).pathname) };
  }
  if (url.startsWith("/")) return { kind: "file", url, path: url };
  if (/^ssh:\/\//i.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (error) {
      throw new GitError("InvalidSpec", `spec.url: not a valid ssh:// URL`, url, error);
    }
    let path = decodeURIComponent(parsed.pathname);
    // ssh://host/~user/repo means a path relative to a home directory, as in git.
    if (path.startsWith("/~")) path = path.slice(1);
    return {
      kind: "ssh",
      url,
      user: decodeURIComponent(parsed.username) || "git",
      host: parsed.hostname.replace(/^\[|\]$/g, ""),
      port: parsed.port ? Number(parsed.port) : 22,
      path,
    };
  }
  const scp = SCP_LIKE.exec(url);
  if (scp && !url.includes("://")) {
    return { kind: "ssh", url, user: scp[1] ?? "git", host: scp[2], port: 22, path: scp[3] };
  }
  throw new GitError(
    "InvalidSpec",
    "spec.url: expected an http(s)://, ssh://, user@host:path, file:// URL or an absolute path",
    url,
  );
}
