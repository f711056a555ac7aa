// spec.ref resolution and URL parsing (no network).
import assert from "node:assert/strict";
import { GitError, parseRemoteUrl } from "../../../lib/git/mod.ts";
import { resolveRef } from "../../../lib/git/refs.ts";

const A = "a".repeat(40);
const B = "b".repeat(40);
const C = "c".repeat(40);
const refs = [
  { ref: "HEAD", oid: A, target: "refs/heads/main" },
  { ref: "refs/heads/main", oid: A },
  { ref: "refs/heads/dev", oid: B },
  { ref: "refs/tags/v1.0.0", oid: C, peeled: B },
  { ref: "refs/tags/v1.1.0", oid: A },
  { ref: "refs/tags/v2.0.0-rc.1", oid: B },
  { ref: "refs/pull/7/head", oid: C },
];

Deno.test("revision strings follow Flux for every kind of ref", () => {
  const url = "https://example.com/r.git";
  assert.equal(resolveRef({ branch: "dev" }, refs, url).revision, `dev@sha1:${B}`);
  assert.equal(resolveRef({ tag: "v1.0.0" }, refs, url).revision, `v1.0.0@sha1:${B}`);
  assert.equal(resolveRef({ semver: "^1" }, refs, url).revision, `v1.1.0@sha1:${A}`);
  assert.equal(resolveRef({ semver: ">=2.0.0-0" }, refs, url).revision, `v2.0.0-rc.1@sha1:${B}`);
  assert.equal(
    resolveRef({ name: "refs/pull/7/head" }, refs, url).revision,
    `refs/pull/7/head@sha1:${C}`,
  );
  assert.equal(resolveRef({ commit: C }, refs, url).revision, `sha1:${C}`);
  assert.equal(resolveRef({ commit: C, branch: "dev" }, refs, url).revision, `dev@sha1:${C}`);
});

Deno.test("precedence: commit, then name, then semver, then tag, then branch", () => {
  const url = "u";
  const all = { branch: "dev", tag: "v1.0.0", semver: "^1", name: "refs/pull/7/head", commit: C };
  assert.equal(resolveRef(all, refs, url).revision, `dev@sha1:${C}`);
  assert.equal(
    resolveRef({ ...all, commit: undefined }, refs, url).revision,
    `refs/pull/7/head@sha1:${C}`,
  );
  assert.equal(
    resolveRef({ branch: "dev", tag: "v1.0.0", semver: "^1" }, refs, url).revision,
    `v1.1.0@sha1:${A}`,
  );
  assert.equal(
    resolveRef({ branch: "dev", tag: "v1.0.0" }, refs, url).revision,
    `v1.0.0@sha1:${B}`,
  );
});

Deno.test("bad refs are typed errors", () => {
  const reason = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as GitError).reason;
    }
  };
  assert.equal(reason(() => resolveRef({ semver: ">=5" }, refs, "u")), "NoMatchingTag");
  assert.equal(reason(() => resolveRef({ semver: "not a range!" }, refs, "u")), "InvalidSpec");
  assert.equal(reason(() => resolveRef({ commit: "abc" }, refs, "u")), "InvalidSpec");
  assert.equal(reason(() => resolveRef(undefined, refs, "u")), "RefNotFound"); // master
});

Deno.test("a short SHA in spec.ref.commit is refused with the way to the full one, as Flux never resolves it", () => {
  assert.throws(
    () => resolveRef({ commit: "c0ffee1" }, refs, "https://example.com/r.git"),
    (e: unknown) =>
      e instanceof GitError && e.reason === "InvalidSpec" &&
      e.message.includes('got "c0ffee1"; "c0ffee1" looks like a short SHA') &&
      e.message.includes("git rev-parse c0ffee1"),
  );
});

Deno.test("URL kinds: http(s), ssh://, scp-like, file:// and paths", () => {
  assert.deepEqual(parseRemoteUrl("ssh://git@github.com/org/repo.git"), {
    kind: "ssh",
    url: "ssh://git@github.com/org/repo.git",
    user: "git",
    host: "github.com",
    port: 22,
    path: "/org/repo.git",
  });
  assert.deepEqual(parseRemoteUrl("git@github.com:org/repo.git"), {
    kind: "ssh",
    url: "git@github.com:org/repo.git",
    user: "git",
    host: "github.com",
    port: 22,
    path: "org/repo.git",
  });
  const custom = parseRemoteUrl("ssh://deploy@10.0.0.1:2222/srv/git/r.git");
  assert.equal(custom.kind === "ssh" && custom.port, 2222);
  assert.equal(parseRemoteUrl("https://x/r.git").kind, "http");
  assert.deepEqual(parseRemoteUrl("file:///srv/r.git"), {
    kind: "file",
    url: "file:///srv/r.git",
    path: "/srv/r.git",
  });
  assert.equal(parseRemoteUrl("/srv/r.git").kind, "file");
  assert.throws(() => parseRemoteUrl("ftp://x/r.git"), /expected an http/);
});
