// A Git repository address as commit-status providers read `spec.address`: an HTTPS URL,
// `ssh://` URL or scp-like `git@host:owner/repo.git`. The API is reached over HTTPS on the same
// host (port kept for URLs), and the repository id is the path without its leading slash and
// `.git` suffix, as Flux's notification controller derives them.

export class ProviderAddressError extends Error {
  override readonly name = "ProviderAddressError";
  constructor(readonly type: string, readonly address: string, readonly expected: string) {
    super(`spec.address: a ${type} provider expects ${expected}`);
  }
}

export interface GitAddress {
  /** `https://host[:port]` (ssh addresses become https). */
  origin: string;
  hostname: string;
  /** The repository path: `owner/repo`, `group/sub/project`, `org/project/_git/repo`. */
  id: string;
}

const SCP_LIKE = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+)$/;

export function parseGitAddress(address: string): GitAddress | undefined {
  let origin: string;
  let hostname: string;
  let path: string;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(address)) {
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      return undefined;
    }
    const scheme = url.protocol === "ssh:" || url.protocol === "git:" ? "https:" : url.protocol;
    if (scheme !== "https:" && scheme !== "http:") return undefined;
    // An ssh URL's port is the SSH port, not the API's.
    const port = url.protocol === "ssh:" ? "" : url.port;
    origin = `${scheme}//${url.hostname}${port ? `:${port}` : ""}`;
    hostname = url.hostname;
    path = decodeURIComponent(url.pathname);
  } else {
    const m = SCP_LIKE.exec(address);
    if (!m) return undefined;
    origin = `https://${m[1]}`;
    hostname = m[1];
    path = m[2];
  }
  const id = path.replace(/^\/+/, "").replace(/\.git$/, "").replace(/\/+$/, "");
  return id ? { origin, hostname, id } : undefined;
}

/** `owner/repo` of an address, or a ProviderAddressError naming what was expected. */
export function ownerAndRepo(type: string, address: string): GitAddress & {
  owner: string;
  repo: string;
} {
  const parsed = parseGitAddress(address);
  const parts = parsed?.id.split("/") ?? [];
  if (!parsed || parts.length !== 2 || parts.some((p) => p === "")) {
    throw new ProviderAddressError(
      type,
      address,
      `a repository URL such as https://host/owner/repo, got ${JSON.stringify(address)}`,
    );
  }
  return { ...parsed, owner: parts[0], repo: parts[1] };
}

/** GitHub's REST API root: api.github.com for github.com, /api/v3 on GitHub Enterprise hosts. */
export function githubApiRoot(address: GitAddress): string {
  return address.hostname === "github.com" ? "https://api.github.com" : `${address.origin}/api/v3`;
}
