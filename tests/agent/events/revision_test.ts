import assert from "node:assert/strict";
import { commitShaOf, githubApiRoot, parseGitAddress } from "../../../agent/events/mod.ts";
import { reasonWords, statusName } from "../../../agent/events/providers/status_text.ts";
import { fixtureEvent, SHA } from "./event_fixture.ts";

Deno.test("a commit SHA is read from Flux's revision formats and nothing else", () => {
  assert.equal(commitShaOf(`main@sha1:${SHA}`), SHA);
  assert.equal(commitShaOf(`v1.2.3@sha1:${SHA.toUpperCase()}`), SHA);
  assert.equal(commitShaOf(`refs/heads/feature/x@sha1:${SHA}`), SHA);
  assert.equal(commitShaOf(`sha1:${SHA}`), SHA);
  assert.equal(commitShaOf(`main/${SHA}`), SHA, "the pre-2.0 <branch>/<sha> format");
  assert.equal(commitShaOf(SHA), SHA);
  const sha256 = "ab".repeat(32);
  assert.equal(commitShaOf(`main@sha256:${sha256}`), sha256);
  assert.equal(commitShaOf("6.5.4"), undefined, "a HelmRelease chart version");
  assert.equal(commitShaOf(`latest@sha256:${"ab".repeat(31)}`), undefined);
  assert.equal(commitShaOf("main@sha1:abc"), undefined);
  assert.equal(commitShaOf(""), undefined);
  assert.equal(commitShaOf(undefined), undefined);
});

Deno.test("Git addresses give the API origin and repository id, ssh becoming https", () => {
  assert.deepEqual(parseGitAddress("https://github.com/org/repo.git"), {
    origin: "https://github.com",
    hostname: "github.com",
    id: "org/repo",
  });
  assert.deepEqual(parseGitAddress("ssh://git@git.example.com:2222/group/sub/project"), {
    origin: "https://git.example.com",
    hostname: "git.example.com",
    id: "group/sub/project",
  });
  assert.deepEqual(parseGitAddress("git@gitlab.com:group/project.git"), {
    origin: "https://gitlab.com",
    hostname: "gitlab.com",
    id: "group/project",
  });
  assert.equal(
    parseGitAddress("https://ghe.example.com:8443/o/r")?.origin,
    "https://ghe.example.com:8443",
  );
  assert.equal(parseGitAddress("not a url"), undefined);
  assert.equal(parseGitAddress("https://github.com/"), undefined);
  assert.equal(githubApiRoot(parseGitAddress("https://github.com/o/r")!), "https://api.github.com");
  assert.equal(
    githubApiRoot(parseGitAddress("https://ghe.example.com/o/r")!),
    "https://ghe.example.com/api/v3",
  );
});

Deno.test("status text: reasons split at camel-case humps, names lower-cased with the summary", () => {
  assert.equal(reasonWords("ReconciliationSucceeded"), "reconciliation succeeded");
  assert.equal(reasonWords("HealthCheckFailed"), "health check failed");
  assert.equal(reasonWords("HTTPServerError"), "http server error");
  assert.equal(reasonWords("Build2Failed"), "build 2 failed");
  assert.equal(statusName(fixtureEvent()), "kustomization/apps");
  assert.equal(
    statusName(fixtureEvent({ metadata: { summary: "Prod EU" } })),
    "prod eu/kustomization/apps",
  );
});
