// Flux's setter fixtures (../shared/conformance/image-setters) reproduced byte for byte.
import assert from "node:assert/strict";
import { applySetters, type SetterPolicy } from "../../../lib/images/mod.ts";
import { tempDir } from "../../support/process.ts";

const DATA = new URL("../../../../shared/conformance/image-setters/", import.meta.url).pathname;

/** Every regular file under dir, relative path → content. */
async function readTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (rel: string) => {
    for await (const e of Deno.readDir(`${dir}/${rel}`)) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory) await walk(child);
      else if (e.isFile) out.set(child, await Deno.readTextFile(`${dir}/${child}`));
    }
  };
  await walk("");
  return out;
}

/** Copies a tree, replacing SETTER_SITE markers as the fixture README says. */
async function copyTree(from: string, to: string, marker?: string): Promise<void> {
  for (const [rel, text] of await readTree(from)) {
    const target = `${to}/${rel}`;
    await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(target, marker ? text.replaceAll("SETTER_SITE", marker) : text);
  }
}

function sorted<T>(m: Map<string, T>): [string, T][] {
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
}

Deno.test("setters-multi: only changed files are written, byte for byte as Flux expects", async () => {
  const work = await tempDir();
  try {
    const input = `${work.path}/in`;
    const output = `${work.path}/out`;
    await copyTree(`${DATA}/setters/original`, input);
    // Upstream test.yaml is a dangling symlink: it must be skipped without error.
    await Deno.remove(`${input}/test.yaml`);
    await Deno.symlink("testing.yaml", `${input}/test.yaml`);
    const policies: SetterPolicy[] = [
      { namespace: "automation-ns", name: "policy", latestImage: "index.repo.fake/updated:v1.0.1" },
      { namespace: "automation-ns", name: "unchanged", latestImage: "image:v1.0.0" },
      {
        namespace: "automation-ns",
        name: "policy-with-digest",
        latestImage:
          "image:v1.0.0@sha256:6745aaad46d795c9836632e1fb62f24b7e7f4c843144da8e47a5465c411a14be",
      },
    ];
    const result = await applySetters(input, policies, { outDir: output });
    assert.deepEqual(
      sorted(await readTree(output)),
      sorted(await readTree(`${DATA}/setters/expected`)),
    );
    assert.deepEqual(result.problemFiles, []);

    const records = result.changes.map((c) =>
      `${c.file} ${c.setter} ${c.oldValue} => ${c.newValue}`
    );
    const digest = "sha256:6745aaad46d795c9836632e1fb62f24b7e7f4c843144da8e47a5465c411a14be";
    assert.deepEqual(records, [
      "Kustomization automation-ns:policy:name replaced => index.repo.fake/updated",
      "Kustomization automation-ns:policy:tag v1 => v1.0.1",
      "kustomization.yml automation-ns:policy:name replaced => index.repo.fake/updated",
      "kustomization.yml automation-ns:policy:tag v1 => v1.0.1",
      `kustomization.yml automation-ns:policy-with-digest:digest sha256:1234567890abcdef => ${digest}`,
      `kustomization.yml automation-ns:policy-with-digest image => image:v1.0.0@${digest}`,
      "marked.yaml automation-ns:policy image:v1.0.0 => index.repo.fake/updated:v1.0.1",
    ]);
    const cronJob = result.changes.find((c) => c.file === "marked.yaml")!;
    assert.deepEqual(cronJob.object, {
      apiVersion: "batch/v1beta1",
      kind: "CronJob",
      name: "foo",
      namespace: "bar",
    });
  } finally {
    await work.remove();
  }
});

const APPLIER_CASES = [
  {
    id: "applier-one-policy",
    input: "applier/appconfig",
    expected: "applier/appconfig-setters-expected",
    policies: [{ namespace: "test-ns", name: "policy1", latestImage: "helloworld:1.0.1" }],
    marker: '{"$imagepolicy": "test-ns:policy1"}',
    path: ".",
  },
  {
    id: "applier-multiple-policies",
    input: "applier/appconfig",
    expected: "applier/appconfig-setters-expected",
    policies: [
      { namespace: "test-ns", name: "policy1", latestImage: "foo:1.1.1" },
      { namespace: "test-ns", name: "policy2", latestImage: "helloworld:1.0.1" },
      { namespace: "test-ns", name: "policy3", latestImage: "bar:2.2.2" },
    ],
    marker: '{"$imagepolicy": "test-ns:policy2"}',
    path: ".",
  },
  {
    id: "applier-update-path",
    input: "applier/pathconfig",
    expected: "applier/pathconfig-expected",
    policies: [{ namespace: "test-ns", name: "policy1", latestImage: "helloworld:1.0.1" }],
    marker: '{"$imagepolicy": "test-ns:policy1"}',
    path: "./yes",
  },
];

for (const c of APPLIER_CASES) {
  Deno.test(`${c.id}: the tree is updated in place as Flux expects`, async () => {
    const work = await tempDir();
    try {
      await copyTree(`${DATA}/${c.input}`, `${work.path}/tree`, c.marker);
      await copyTree(`${DATA}/${c.expected}`, `${work.path}/expected`, c.marker);
      const result = await applySetters(`${work.path}/tree`, c.policies, { path: c.path });
      assert.deepEqual(
        sorted(await readTree(`${work.path}/tree`)),
        sorted(await readTree(`${work.path}/expected`)),
      );
      assert.equal(result.changes.length, 1);
    } finally {
      await work.remove();
    }
  });
}
