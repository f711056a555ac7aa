import assert from "node:assert/strict";
import {
  CredentialsError,
  credentialsFromDockerConfig,
  ImageReferenceError,
  nextLink,
  parseChallenge,
  parseImageRef,
  parseRetryAfter,
} from "../../../lib/registry/mod.ts";

Deno.test("Docker Hub short names are normalised to index.docker.io/library/...", () => {
  const nginx = parseImageRef("nginx");
  assert.equal(nginx.canonicalName, "index.docker.io/library/nginx");
  assert.equal(
    parseImageRef("docker.io/nginx:1.25").canonicalName,
    "index.docker.io/library/nginx",
  );
  assert.equal(parseImageRef("fluxcd/flux:v2").repository, "fluxcd/flux");
  assert.equal(parseImageRef("registry-1.docker.io/fluxcd/flux").registry, "index.docker.io");
});

Deno.test("registries with ports, tags and digests are split as Docker does", () => {
  const ref = parseImageRef("localhost:5000/team/app:v1.2@sha256:" + "b".repeat(64));
  assert.equal(ref.registry, "localhost:5000");
  assert.equal(ref.repository, "team/app");
  assert.equal(ref.tag, "v1.2");
  assert.equal(ref.digest, "sha256:" + "b".repeat(64));
  assert.equal(ref.name, "localhost:5000/team/app");
  assert.equal(parseImageRef("ghcr.io/org/app").tag, undefined);
  assert.equal(parseImageRef("127.0.0.1:5000/app:1").registry, "127.0.0.1:5000");
});

Deno.test("invalid references say what is wrong", () => {
  assert.throws(() => parseImageRef("Upper/Case"), ImageReferenceError);
  assert.throws(() => parseImageRef("app:bad tag"), /tag "bad tag" is not valid/);
  assert.throws(() => parseImageRef("app@sha256:short"), /digest/);
  assert.throws(() => parseImageRef(""), /empty/);
});

function secret(config: unknown): Record<string, string> {
  return { ".dockerconfigjson": btoa(JSON.stringify(config)) };
}

Deno.test("dockerconfigjson credentials are matched by host, including Docker Hub aliases", () => {
  const data = secret({
    auths: {
      "https://index.docker.io/v1/": { auth: btoa("hub:pw") },
      "ghcr.io": { username: "gh", password: "tok" },
      "http://localhost:5000/some/path": { auth: btoa("local:pw:with:colons") },
      "quay.io": { identitytoken: "refresh" },
    },
  });
  assert.deepEqual(credentialsFromDockerConfig(data, "docker.io"), {
    username: "hub",
    password: "pw",
  });
  assert.deepEqual(credentialsFromDockerConfig(data, "index.docker.io"), {
    username: "hub",
    password: "pw",
  });
  assert.deepEqual(credentialsFromDockerConfig(data, "ghcr.io"), {
    username: "gh",
    password: "tok",
  });
  assert.deepEqual(credentialsFromDockerConfig(data, "localhost:5000"), {
    username: "local",
    password: "pw:with:colons",
  });
  assert.deepEqual(credentialsFromDockerConfig(data, "quay.io"), { identityToken: "refresh" });
  assert.equal(credentialsFromDockerConfig(data, "gcr.io"), undefined);
});

Deno.test("legacy .dockercfg and broken secrets", () => {
  const legacy = { ".dockercfg": btoa(JSON.stringify({ "ghcr.io": { auth: btoa("a:b") } })) };
  assert.deepEqual(credentialsFromDockerConfig(legacy, "ghcr.io"), {
    username: "a",
    password: "b",
  });
  assert.throws(() => credentialsFromDockerConfig({}, "ghcr.io"), CredentialsError);
  assert.throws(
    () => credentialsFromDockerConfig({ ".dockerconfigjson": "!!" }, "x"),
    /not base64-encoded JSON/,
  );
  assert.throws(
    () =>
      credentialsFromDockerConfig(secret({ auths: { "x.io": { auth: btoa("nocolon") } } }), "x.io"),
    /user:password/,
  );
});

Deno.test("challenge, Link and Retry-After headers parse", () => {
  assert.deepEqual(
    parseChallenge('Bearer realm="https://a/t",service="s",scope="repository:x:pull,push"'),
    {
      scheme: "bearer",
      params: { realm: "https://a/t", service: "s", scope: "repository:x:pull,push" },
    },
  );
  assert.equal(
    nextLink('</v2/x/tags/list?last=a&n=1>; rel="next"', "https://r.io/v2/x/tags/list"),
    "https://r.io/v2/x/tags/list?last=a&n=1",
  );
  assert.equal(nextLink('<https://r.io/other>; rel="prev"', "https://r.io/"), undefined);
  assert.equal(parseRetryAfter("30"), 30);
  assert.equal(
    parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 1)).toUTCString(), Date.UTC(2030, 0, 1)),
    60,
  );
  assert.equal(parseRetryAfter(null), undefined);
});
