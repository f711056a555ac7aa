import assert from "node:assert/strict";
import {
  BUILTIN_SCHEMA,
  strategicMerge,
  strategicMergeApimachinery,
} from "../../../../lib/kustomize/mod.ts";

const deploymentLists = BUILTIN_SCHEMA.listsOf({
  group: "apps",
  version: "v1",
  kind: "Deployment",
});

function deployment(spec: Record<string, unknown>) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "d" },
    spec: { template: { spec } },
  };
}

Deno.test("containers merge by name: patch elements first, then the rest", () => {
  const out = strategicMerge(
    deployment({ containers: [{ name: "a", image: "a:1" }, { name: "b", image: "b:1" }] }),
    deployment({ containers: [{ name: "new", image: "n" }, { name: "b", image: "b:2" }] }),
    deploymentLists,
  ) as ReturnType<typeof deployment>;
  assert.deepEqual(out.spec.template.spec.containers, [
    { name: "new", image: "n" },
    { name: "b", image: "b:2" },
    { name: "a", image: "a:1" },
  ]);
});

Deno.test("ports merge by containerPort and env by name; $patch: delete removes an element", () => {
  const out = strategicMerge(
    deployment({
      containers: [{
        name: "a",
        ports: [{ containerPort: 80 }],
        env: [{ name: "X", value: "1" }, { name: "Y", value: "2" }],
      }],
    }),
    deployment({
      containers: [{
        name: "a",
        ports: [{ containerPort: 90 }],
        env: [{ name: "X", $patch: "delete" }],
      }],
    }),
    deploymentLists,
  ) as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
  const c = out.spec.template.spec.containers[0];
  assert.deepEqual(c.ports, [{ containerPort: 90 }, { containerPort: 80 }]);
  assert.deepEqual(c.env, [{ name: "Y", value: "2" }]);
});

Deno.test("null deletes a field; $patch: replace replaces a map", () => {
  const out = strategicMerge(
    { kind: "X", metadata: { labels: { a: "1", b: "2" }, annotations: { keep: "no" } } },
    { kind: "X", metadata: { labels: { $patch: "replace", c: "3" }, annotations: null } },
    undefined,
  );
  assert.deepEqual(out, { kind: "X", metadata: { labels: { c: "3" } } });
});

Deno.test("lists without a merge key (and all lists of custom resources) are replaced", () => {
  const out = strategicMerge(
    { kind: "Widget", spec: { items: [{ name: "a" }, { name: "b" }] } },
    { kind: "Widget", spec: { items: [{ name: "b", v: 2 }] } },
    undefined,
  );
  assert.deepEqual(out, { kind: "Widget", spec: { items: [{ name: "b", v: 2 }] } });
});

Deno.test("scalar lists with strategy merge become a union, patch values first", () => {
  const out = strategicMerge(
    { kind: "Deployment", metadata: { finalizers: ["a", "b"] } },
    { kind: "Deployment", metadata: { finalizers: ["z", "a"] } },
    deploymentLists,
  );
  assert.deepEqual(out, { kind: "Deployment", metadata: { finalizers: ["z", "a", "b"] } });
});

Deno.test("$patch: delete at the root deletes the object", () => {
  assert.equal(
    strategicMerge({ kind: "X" }, { kind: "X", $patch: "delete" }, undefined),
    undefined,
  );
});

Deno.test("apimachinery-only directives stay as written, as kustomize leaves them", () => {
  const out = strategicMerge(
    deployment({ containers: [{ name: "a", args: ["x", "y"] }] }),
    deployment({ containers: [{ name: "a", "$deleteFromPrimitiveList/args": ["y"] }] }),
    deploymentLists,
  ) as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
  assert.deepEqual(out.spec.template.spec.containers[0]["$deleteFromPrimitiveList/args"], ["y"]);
});

Deno.test("the target is not modified", () => {
  const target = { kind: "X", spec: { a: 1 } };
  strategicMerge(target, { kind: "X", spec: { a: 2 } }, undefined);
  assert.deepEqual(target, { kind: "X", spec: { a: 1 } });
});

Deno.test("the API server flavour honours $retainKeys, $deleteFromPrimitiveList, $setElementOrder", () => {
  const out = strategicMergeApimachinery(
    {
      kind: "Deployment",
      metadata: { finalizers: ["a", "b", "c"] },
      spec: {
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } },
        template: { spec: { containers: [{ name: "x" }, { name: "y" }] } },
      },
    },
    {
      kind: "Deployment",
      metadata: { "$deleteFromPrimitiveList/finalizers": ["b"] },
      spec: {
        strategy: { $retainKeys: ["type"], type: "Recreate" },
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "z" }, { name: "y" }, { name: "x" }],
            containers: [{ name: "z", image: "z" }],
          },
        },
      },
    },
    deploymentLists,
  );
  assert.deepEqual(out, {
    kind: "Deployment",
    metadata: { finalizers: ["a", "c"] },
    spec: {
      strategy: { type: "Recreate" },
      template: { spec: { containers: [{ name: "z", image: "z" }, { name: "y" }, { name: "x" }] } },
    },
  });
});

Deno.test("the API server flavour keeps the target's list order and appends new elements", () => {
  const out = strategicMergeApimachinery(
    deployment({ containers: [{ name: "a" }, { name: "b" }] }),
    deployment({
      containers: [{ name: "c" }, { name: "a", image: "a" }, { name: "b", $patch: "delete" }],
    }),
    deploymentLists,
  ) as ReturnType<typeof deployment>;
  assert.deepEqual(out.spec.template.spec.containers, [{ name: "a", image: "a" }, { name: "c" }]);
});
