// The commit a revision names, for commit-status providers. Flux writes revisions as
// `<ref>@sha1:<hex>` (`main@sha1:…`, `v1.2.3@sha1:…`, `sha256:` for SHA-256 repositories), older
// controllers as `<branch>/<hex>`, and a checkout of a bare commit as the hex alone. A HelmRelease's
// chart version or an OCI digest is not a commit and yields undefined.

const HEX_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export function commitShaOf(revision: string | undefined): string | undefined {
  if (!revision) return undefined;
  const digest = revision.slice(revision.lastIndexOf("@") + 1);
  const colon = digest.indexOf(":");
  if (colon >= 0) {
    const algorithm = digest.slice(0, colon);
    const hex = digest.slice(colon + 1).toLowerCase();
    // "sha256:" is also how OCI digests read; only Git's own algorithms with a Git-sized hash count.
    if (
      (algorithm === "sha1" && hex.length === 40) || (algorithm === "sha256" && hex.length === 64)
    ) {
      return HEX_SHA.test(hex) ? hex : undefined;
    }
    return undefined;
  }
  const last = digest.slice(digest.lastIndexOf("/") + 1).toLowerCase();
  return HEX_SHA.test(last) ? last : undefined;
}
