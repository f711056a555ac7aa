// Kustomize confined to its source root: `../` escapes, symlinks, absolute paths, remote bases
// and generator files outside the root are refused with the file and field named, and nothing
// from outside the root ends up in the output.
import assert from "node:assert/strict";
import { join } from "node:path";
import { buildKustomization, KustomizeSecurityError } from "../../lib/kustomize/mod.ts";
import { recordScenario } from "./record.ts";
import { rejectsWith } from "../support/rejects.ts";
import { configMap, withTree } from "./tree.ts";

const OUTSIDE_SECRET = "outside-the-root-7f3a9c";

/** A tree with the source root in src/ and a file holding a secret next to it, outside. */
function tree(files: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {
    "outside/secret.yaml": configMap("stolen", { token: OUTSIDE_SECRET }),
    "outside/secret.env": `TOKEN=${OUTSIDE_SECRET}\n`,
  };
  for (const [path, content] of Object.entries(files)) out[`src/${path}`] = content;
  return out;
}

async function refused(
  files: Record<string, string>,
  ...parts: string[]
): Promise<void> {
  await withTree(tree(files), async (dir) => {
    const error = await rejectsWith(
      buildKustomization(join(dir, "src"), "app", { loadRestrictions: "rootOnly" }),
      KustomizeSecurityError,
      ...parts,
    );
    assert.ok(!error.message.includes(OUTSIDE_SECRET), "the error must not quote the file");
  });
}

Deno.test("../ climbing out of the source root is refused", async () => {
  const escapes = ["../../outside/secret.yaml", "../../../../../../etc/passwd", "../.."];
  for (const ref of escapes) {
    await refused(
      { "app/kustomization.yaml": `resources:\n- ${ref}\n` },
      "app/kustomization.yaml",
      "resources[0]",
    );
  }
  await refused(
    {
      "app/kustomization.yaml":
        "resources: [cm.yaml]\npatches:\n- path: ../../outside/secret.yaml\n",
      "app/cm.yaml": configMap("a"),
    },
    "patches[0]",
  );
  await recordScenario("kustomize-dotdot", { faultsInjected: escapes.length + 1 });
});

Deno.test("symlinks to files or folders outside the root are refused", async () => {
  let faults = 0;
  for (const [link, ref] of [["app/link.yaml", "link.yaml"], ["app/linkdir", "linkdir"]]) {
    await withTree(tree({ "app/kustomization.yaml": `resources: [${ref}]\n` }), async (dir) => {
      const target = link.endsWith(".yaml") ? "outside/secret.yaml" : "outside";
      await Deno.symlink(join(dir, target), join(dir, "src", link));
      await rejectsWith(
        buildKustomization(join(dir, "src"), "app"),
        KustomizeSecurityError,
        "outside the source root",
      );
      faults++;
    });
  }
  // A symlinked kustomization root itself pointing outside is refused as well.
  await withTree(tree({ "README.md": "root\n" }), async (dir) => {
    await Deno.writeTextFile(join(dir, "outside/kustomization.yaml"), "resources: [secret.yaml]\n");
    await Deno.symlink(join(dir, "outside"), join(dir, "src/app"));
    await rejectsWith(buildKustomization(join(dir, "src"), "app"), KustomizeSecurityError);
    faults++;
  });
  await recordScenario("kustomize-symlink", { faultsInjected: faults });
});

Deno.test("absolute paths are refused in resources, patches and generators", async () => {
  await withTree(tree({}), async (dir) => {
    const abs = join(dir, "outside/secret.yaml");
    const kustomizations = [
      `resources: [${abs}]\n`,
      `resources: []\npatches:\n- path: ${abs}\n`,
      `configMapGenerator:\n- name: g\n  files: [${abs}]\n`,
    ];
    for (const k of kustomizations) {
      await Deno.mkdir(join(dir, "src/app"), { recursive: true });
      await Deno.writeTextFile(join(dir, "src/app/kustomization.yaml"), k);
      const error = await rejectsWith(
        buildKustomization(join(dir, "src"), "app"),
        KustomizeSecurityError,
        "app/kustomization.yaml",
      );
      assert.ok(!error.message.includes(OUTSIDE_SECRET));
    }
    await recordScenario("kustomize-absolute", { faultsInjected: kustomizations.length });
  });
});

Deno.test("remote bases are refused without touching the network", async () => {
  const remotes = [
    "https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.0.0",
    "git::https://example.com/repo.git//base",
    "github.com/org/repo/base?ref=main",
    "ssh://git@example.com/repo.git",
  ];
  for (const remote of remotes) {
    await refused({ "app/kustomization.yaml": `resources:\n- ${remote}\n` }, "resources[0]");
  }
  await recordScenario("kustomize-remote", { faultsInjected: remotes.length });
});

Deno.test("generator files and env files outside the root are refused", async () => {
  const generators = [
    "configMapGenerator:\n- name: g\n  files: [../../outside/secret.yaml]\n",
    "configMapGenerator:\n- name: g\n  files: [key=../../outside/secret.yaml]\n",
    "secretGenerator:\n- name: g\n  envs: [../../outside/secret.env]\n",
    "configMapGenerator:\n- name: g\n  env: ../../outside/secret.env\n",
  ];
  for (const k of generators) {
    await refused({ "app/kustomization.yaml": k }, "app/kustomization.yaml");
  }
  await recordScenario("kustomize-generator-outside", { faultsInjected: generators.length });
});
