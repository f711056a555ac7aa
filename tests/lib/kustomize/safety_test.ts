// The renderer reads untrusted repositories: it must stay inside the source root, refuse remote
// and absolute references and exec plugins, and enforce its limits, naming the file and field.
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  buildKustomization,
  KustomizeError,
  KustomizeLimitError,
  KustomizeSecurityError,
} from "../../../lib/kustomize/mod.ts";
import { buildFluxKustomization } from "../../../lib/kustomize/flux/mod.ts";
import { tempDir } from "../../support/process.ts";
import { rejectsWith } from "../../support/rejects.ts";
import { CM, writeTree } from "./tree.ts";

async function withTree(
  files: Record<string, string>,
  fn: (root: string, outside: string) => Promise<void>,
) {
  const tmp = await tempDir("skiff-kustomize-");
  try {
    const root = join(tmp.path, "src");
    await writeTree(tmp.path, { "outside.yaml": CM("secret-elsewhere") });
    await writeTree(root, files);
    await fn(root, join(tmp.path, "outside.yaml"));
  } finally {
    await tmp.remove();
  }
}

Deno.test("../ may climb inside the source root", async () => {
  await withTree({
    "base/cm.yaml": CM("a"),
    "base/kustomization.yaml": "resources: [cm.yaml]\n",
    "app/kustomization.yaml": "resources: [../base]\n",
  }, async (root) => {
    const objects = await buildKustomization(root, "app");
    assert.equal(objects.length, 1);
  });
});

Deno.test("../ may not climb out of the source root", async () => {
  await withTree(
    { "app/kustomization.yaml": "resources:\n- ../../outside.yaml\n" },
    async (root) => {
      await rejectsWith(
        () => buildKustomization(root, "app", { loadRestrictions: "none" }),
        KustomizeSecurityError,
        "app/kustomization.yaml: resources[0]",
        "leaves the source root",
      );
    },
  );
});

Deno.test("a symlink pointing outside the root is refused", async () => {
  await withTree(
    { "app/kustomization.yaml": "resources:\n- link.yaml\n" },
    async (root, outside) => {
      await Deno.symlink(outside, join(root, "app/link.yaml"));
      await rejectsWith(
        () => buildKustomization(root, "app"),
        KustomizeSecurityError,
        "resources[0]",
        "symlink to a path outside the source root",
      );
    },
  );
});

Deno.test("a symlink inside the root is followed", async () => {
  await withTree({
    "app/kustomization.yaml": "resources:\n- link.yaml\n",
    "app/real.yaml": CM("real"),
  }, async (root) => {
    await Deno.symlink(join(root, "app/real.yaml"), join(root, "app/link.yaml"));
    const objects = await buildKustomization(root, "app");
    assert.equal((objects[0].metadata as { name: string }).name, "real");
  });
});

Deno.test("absolute paths are refused", async () => {
  await withTree({ "app/kustomization.yaml": "resources:\n- /etc/passwd\n" }, async (root) => {
    await rejectsWith(
      () => buildKustomization(root, "app"),
      KustomizeSecurityError,
      "resources[0]",
      "absolute path",
    );
  });
});

Deno.test("remote resources are refused", async () => {
  for (
    const ref of [
      "https://github.com/org/repo//deploy?ref=v1",
      "github.com/org/repo/deploy",
      "git@github.com:org/repo.git",
    ]
  ) {
    await withTree({ "app/kustomization.yaml": `resources:\n- ${ref}\n` }, async (root) => {
      await rejectsWith(
        () => buildKustomization(root, "app"),
        KustomizeSecurityError,
        "resources[0]",
        "remote reference",
      );
    });
  }
});

Deno.test("files outside a kustomization's directory follow kustomize's load restrictions", async () => {
  await withTree({
    "shared/cm.yaml": CM("shared"),
    "app/kustomization.yaml": "resources:\n- ../shared/cm.yaml\n",
  }, async (root) => {
    await rejectsWith(
      () => buildKustomization(root, "app"),
      KustomizeSecurityError,
      "is not in or below",
    );
    // Flux lifts the restriction (still inside the source root).
    const objects = await buildFluxKustomization(root, "app");
    assert.equal(objects.length, 1);
  });
});

Deno.test("exec and container plugins are never run", async () => {
  await withTree({
    "app/kustomization.yaml": "transformers:\n- plugin.yaml\n",
    "app/plugin.yaml":
      "apiVersion: someteam.example.com/v1\nkind: ChartInflator\nmetadata:\n  name: x\n  annotations:\n    config.kubernetes.io/function: |\n      exec: {path: /bin/sh}\n",
  }, async (root) => {
    await rejectsWith(
      () => buildKustomization(root, "app"),
      KustomizeError,
      "transformers[0]",
      "not a built-in transformer",
    );
  });
});

Deno.test("helmCharts are reported as not supported", async () => {
  await withTree({
    "app/kustomization.yaml": "helmCharts:\n- name: nginx\n  repo: https://charts.example.com\n",
  }, async (root) => {
    await rejectsWith(
      () => buildKustomization(root, "app"),
      KustomizeError,
      "helmCharts",
      "use a HelmRelease",
    );
  });
});

Deno.test("a file over the size limit is refused", async () => {
  await withTree({
    "app/kustomization.yaml": "resources: [big.yaml]\n",
    "app/big.yaml": CM("big") + `data:\n  x: "${"x".repeat(4096)}"\n`,
  }, async (root) => {
    await rejectsWith(
      () => buildKustomization(root, "app", { limits: { maxFileBytes: 1024 } }),
      KustomizeLimitError,
      "resources[0]",
      "over the limit of 1.0 KiB",
    );
  });
});

Deno.test("the object count is limited", async () => {
  const many = Array.from({ length: 20 }, (_, i) => CM(`cm-${i}`)).join("---\n");
  await withTree({
    "app/kustomization.yaml": "resources: [many.yaml]\n",
    "app/many.yaml": many,
  }, async (root) => {
    await rejectsWith(
      () => buildKustomization(root, "app", { limits: { maxObjects: 10 } }),
      KustomizeLimitError,
      "over the limit of 10",
    );
  });
});

Deno.test("alias expansion is limited (YAML bombs)", async () => {
  const bomb = [
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata: {name: bomb}",
    "data:",
    '  a: &a ["x","x","x","x","x","x","x","x","x","x"]',
    "  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]",
    "  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]",
    "  d: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]",
  ].join("\n");
  await withTree({
    "app/kustomization.yaml": "resources: [bomb.yaml]\n",
    "app/bomb.yaml": bomb,
  }, async (root) => {
    await rejectsWith(
      () => buildKustomization(root, "app", { limits: { maxAliases: 20 } }),
      KustomizeError,
      "resources[0]",
      "alias",
    );
  });
});

Deno.test("a kustomization including its own directory is a cycle", async () => {
  await withTree({
    "app/kustomization.yaml": "resources: [sub]\n",
    "app/sub/kustomization.yaml": "resources: [..]\n",
  }, async (root) => {
    await rejectsWith(
      () => buildKustomization(root, "app"),
      KustomizeError,
      "cycle detected",
    );
  });
});

Deno.test("env files may not read the renderer's environment", async () => {
  await withTree({
    "app/kustomization.yaml": "configMapGenerator:\n- name: env\n  envs: [vars.env]\n",
    "app/vars.env": "A=1\nHOME\n",
  }, async (root) => {
    const [agent] = await buildKustomization(root, "app");
    assert.deepEqual(agent.data, { A: "1", HOME: "" });
    const [local] = await buildKustomization(root, "app", { readsEnvironment: true });
    assert.equal((local.data as Record<string, string>).HOME, Deno.env.get("HOME") ?? "");
  });
});
