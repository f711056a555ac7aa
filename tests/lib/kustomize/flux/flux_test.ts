// Flux's additions: a generated kustomization for plain directories, the Kustomization spec
// overlay, and post-build substitution.
import assert from "node:assert/strict";
import {
  buildFluxKustomization,
  postBuildVariables,
  substitute,
} from "../../../../lib/kustomize/flux/mod.ts";
import type { KubeObject } from "../../../../lib/kustomize/mod.ts";
import { tempDir } from "../../../support/process.ts";
import { CM, writeTree } from "../tree.ts";

async function withTree(files: Record<string, string>, fn: (root: string) => Promise<void>) {
  const tmp = await tempDir("skiff-flux-");
  try {
    await writeTree(tmp.path, files);
    await fn(tmp.path);
  } finally {
    await tmp.remove();
  }
}

const names = (objects: KubeObject[]) =>
  objects.map((o) => `${o.kind}/${(o.metadata as { name: string }).name}`);

Deno.test("a directory without a kustomization gets one listing its manifests", async () => {
  await withTree({
    "apps/a.yaml": CM("a"),
    "apps/nested/b.yml": CM("b"),
    "apps/nested/notes.txt": "not yaml",
    "apps/nested/values.yaml": "replicas: 3\n",
    "apps/with-kust/kustomization.yaml": "namePrefix: k-\nresources: [c.yaml]\n",
    "apps/with-kust/c.yaml": CM("c"),
  }, async (root) => {
    assert.deepEqual(names(await buildFluxKustomization(root, "apps")), [
      "ConfigMap/a",
      "ConfigMap/b",
      "ConfigMap/k-c",
    ]);
  });
});

Deno.test("the Flux spec is folded into the kustomization", async () => {
  await withTree({
    "app/kustomization.yaml": "namespace: ignored\nresources: [deploy.yaml]\n",
    "app/deploy.yaml":
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1\n",
    "comp/kustomization.yaml":
      "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [extra.yaml]\n",
    "comp/extra.yaml": CM("extra"),
  }, async (root) => {
    const out = await buildFluxKustomization(root, "app", {
      targetNamespace: "prod",
      namePrefix: "p-",
      images: [{ name: "nginx", newTag: "2" }],
      components: ["../comp"],
      commonMetadata: { labels: { team: "a" }, annotations: { owner: "ops" } },
      patches: [{
        target: { kind: "Deployment" },
        patch: "- op: add\n  path: /spec/replicas\n  value: 3\n",
      }],
    });
    assert.deepEqual(names(out), ["Deployment/p-web", "ConfigMap/p-extra"]);
    const d = out[0] as {
      metadata: Record<string, unknown>;
      spec: {
        replicas: number;
        selector: unknown;
        template: { spec: { containers: { image: string }[] } };
      };
    };
    assert.equal(d.metadata.namespace, "prod");
    assert.deepEqual(d.metadata.labels, { team: "a" });
    assert.deepEqual(d.metadata.annotations, { owner: "ops" });
    assert.deepEqual(
      d.spec.selector,
      { matchLabels: { app: "web" } },
      "labels stay out of selectors",
    );
    assert.equal(d.spec.replicas, 3);
    assert.equal(d.spec.template.spec.containers[0].image, "nginx:2");
  });
});

Deno.test("substitution expands ${...} and re-reads values with their YAML types", () => {
  const [cm] = substitute([{
    apiVersion: "v1",
    kind: "Deployment",
    metadata: { name: "${name}" },
    spec: { replicas: "${replicas}", paused: "${paused:=false}", text: "$${literal}" },
  }], { name: "web", replicas: "3" });
  assert.deepEqual(cm, {
    apiVersion: "v1",
    kind: "Deployment",
    metadata: { name: "web" },
    spec: { replicas: 3, paused: false, text: "${literal}" },
  });
});

Deno.test("objects marked substitute: disabled are left alone", () => {
  const obj = {
    kind: "ConfigMap",
    metadata: { name: "x", annotations: { "kustomize.toolkit.fluxcd.io/substitute": "disabled" } },
    data: { a: "${v}" },
  };
  assert.deepEqual(substitute([obj], { v: "1" }), [obj]);
});

Deno.test("strict mode names the object and the missing variable", () => {
  assert.throws(
    () =>
      substitute([{ kind: "ConfigMap", metadata: { name: "x" }, data: { a: "${nope}" } }], {}, {
        strict: true,
      }),
    /ConfigMap\/x: postBuild.substitute: variable not set \(strict mode\): "nope"/,
  );
});

Deno.test("invalid variable names are refused", () => {
  assert.throws(() => substitute([], { "bad-name": "1" }), /'bad-name' var name is invalid/);
});

Deno.test("substituteFrom merges ConfigMaps and Secrets, inline values win", () => {
  const vars = postBuildVariables({
    substitute: { a: "inline" },
    substituteFrom: [
      { kind: "ConfigMap", name: "cm" },
      { kind: "Secret", name: "sec" },
      { kind: "ConfigMap", name: "absent", optional: true },
    ],
  }, [
    { kind: "ConfigMap", metadata: { name: "cm" }, data: { a: "cm", b: "cm" } },
    { kind: "Secret", metadata: { name: "sec" }, data: { b: btoa("secret"), c: btoa("s") } },
  ]);
  assert.deepEqual(vars, { a: "inline", b: "secret", c: "s" });
  assert.throws(
    () => postBuildVariables({ substituteFrom: [{ kind: "Secret", name: "gone" }] }, []),
    /Secret "gone" not found/,
  );
});

Deno.test("substituted values are typed as go-yaml v2 types them", () => {
  const [cm] = substitute([{
    kind: "ConfigMap",
    metadata: { name: "x" },
    data: { time: "${t}", flag: "${f}", mode: "${m}", quoted: "${q}" },
  }], { t: "12:30", f: "on", m: "0644", q: '"true"' });
  assert.deepEqual(cm.data, { time: "12:30", flag: true, mode: 420, quoted: "true" });
});

Deno.test("a generated kustomization fails on a file that is not valid YAML, naming it", async () => {
  await withTree({
    "apps/a.yaml": CM("a"),
    "apps/nested/broken.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b\n",
  }, async (root) => {
    await assert.rejects(
      () => buildFluxKustomization(root, "apps"),
      (e: Error) => {
        assert.equal(e.name, "KustomizeError");
        assert.match(e.message, /apps\/nested\/broken\.yaml/);
        assert.match(e.message, /not valid YAML/);
        return true;
      },
    );
  });
});
