// Where a submodule is fetched from, and whether it may be: `.gitmodules` is written by whoever
// can push to the repository, so its URLs are not trusted more than the repository itself.
//
// - Relative URLs (`./x`, `../x.git`) resolve against the parent's URL as git does: the parent's
//   URL is treated as a directory, each `../` drops one path segment.
// - `<transport>::<address>` (git's remote helpers, e.g. `ext::sh -c ...`, which runs a command)
//   and URLs starting with "-" (option injection, CVE-2018-17456) are refused.
// - A remote parent (http(s), ssh) may not name a local path or file:// URL: a repository on a
//   server must not make the agent read its own file system (git's protocol.file.allow=user
//   default since CVE-2022-39253). A local parent (an air-gapped mirror on disk that the operator
//   configured) may name local submodules.
import { GitError } from "./errors.ts";
import { parseRemoteUrl, type RemoteUrl } from "./url.ts";

/**
 * The URL to fetch a submodule from; throws GitError naming `path` when it is refused.
 * `parentUrl` is the URL of the repository whose .gitmodules this is; `repoUrl` (the
 * GitRepository's, default the parent's) starts error messages.
 */
export function resolveSubmoduleUrl(
  raw: string,
  parentUrl: string,
  path: string,
  repoUrl = parentUrl,
): string {
  const refuse = (why: string) =>
    new GitError("GitOperationFailed", `submodule "${path}": url "${raw}" ${why}`, repoUrl);
  const url = raw.trim();
  if (url === "") throw refuse("is empty");
  if (url.startsWith("-")) throw refuse("starts with '-' and is refused");
  const helper = /^([A-Za-z][A-Za-z0-9+.-]*)::/.exec(url);
  if (helper) {
    throw refuse(`uses the transport "${helper[1]}::", which is not allowed for submodules`);
  }
  const resolved = url.startsWith("./") || url.startsWith("../")
    ? resolveRelative(parentUrl, url, refuse)
    : url;
  let remote: RemoteUrl;
  try {
    remote = parseRemoteUrl(resolved);
  } catch {
    throw refuse(
      "is not a URL skiff can fetch (expected http(s)://, ssh://, user@host:path, or a path " +
        "relative to the parent)",
    );
  }
  if (remote.kind === "file" && parseRemoteUrl(parentUrl).kind !== "file") {
    throw refuse(
      "points into the local file system, which a remote repository's submodule may not do",
    );
  }
  return resolved;
}

/** `../x.git` against `https://host/org/parent.git` is `https://host/org/x.git`. */
function resolveRelative(base: string, relative: string, refuse: (why: string) => Error): string {
  const trimmed = base.replace(/\/+$/, "");
  // The part no `../` may climb over: scheme and authority, or scp-like `user@host:`.
  const withScheme = /^([a-z][a-z0-9+.-]*:\/\/[^/]*)(.*)$/i.exec(trimmed);
  const scpLike = withScheme ? null : /^((?:[^@/]+@)?[^:/]+:)(?!\/\/)(.*)$/.exec(trimmed);
  const [head, path] = withScheme
    ? [withScheme[1], withScheme[2]]
    : scpLike
    ? [scpLike[1], scpLike[2]]
    : ["", trimmed];
  const segments = path.split("/");
  // An absolute path (always the case after a scheme and host) keeps its leading "" (the
  // root) and may not lose it.
  const floor = withScheme || path.startsWith("/") ? 1 : 0;
  let rest = relative;
  while (true) {
    if (rest.startsWith("./")) rest = rest.slice(2);
    else if (rest.startsWith("../")) {
      if (segments.length <= floor) throw refuse(`climbs above the root of ${base}`);
      segments.pop();
      rest = rest.slice(3);
    } else break;
  }
  if (rest === ".." || rest === ".") throw refuse("names no repository");
  return head + [...segments, rest].join("/");
}

/**
 * True when `a` and `b` are served by the same origin (scheme, host and port; for SSH host and
 * port): a parent's credentials go only to submodules there.
 */
export function sameOrigin(a: string, b: string): boolean {
  const origin = (url: string): string => {
    const remote = parseRemoteUrl(url);
    if (remote.kind === "ssh") return `ssh://${remote.host.toLowerCase()}:${remote.port}`;
    if (remote.kind === "file") return "file:";
    return new URL(remote.url).origin;
  };
  return origin(a) === origin(b);
}
