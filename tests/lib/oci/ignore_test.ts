import assert from "node:assert/strict";
import { type ArtifactFile, keptFiles } from "../../../lib/oci/mod.ts";

const files = (...names: string[]): ArtifactFile[] =>
  names.map((name) => ({ name, data: new TextEncoder().encode(name) }));
const names = (list: ArtifactFile[]) => list.map((f) => f.name);

Deno.test("Flux's default exclusions apply when spec.ignore is not set", () => {
  const kept = keptFiles(
    files("app/deploy.yaml", "logo.png", ".git/config", ".github/workflows/ci.yaml", "a.tar.gz"),
    undefined,
  );
  assert.deepEqual(names(kept), ["app/deploy.yaml"]);
});

Deno.test("spec.ignore replaces the defaults, VCS metadata stays excluded", () => {
  const kept = keptFiles(
    files("app/deploy.yaml", "logo.png", ".git/config", "docs/readme.md", "docs/keep.yaml"),
    "docs/\n",
  );
  assert.deepEqual(names(kept), ["app/deploy.yaml", "logo.png"]);
  const reincluded = keptFiles(files("a.yaml", "b.yaml"), "*.yaml\n!b.yaml\n");
  assert.deepEqual(names(reincluded), ["b.yaml"]);
});

Deno.test(".sourceignore files apply below their directory", () => {
  const list = files("app/.sourceignore", "app/secret.yaml", "app/ok.yaml", "secret.yaml");
  list[0].data = new TextEncoder().encode("secret.yaml\n");
  assert.deepEqual(names(keptFiles(list, undefined)), [
    "app/.sourceignore",
    "app/ok.yaml",
    "secret.yaml",
  ]);
});
