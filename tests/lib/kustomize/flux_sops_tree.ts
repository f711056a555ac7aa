// Flux's SOPS decryption test tree (../shared/conformance/sops) for the build tests: where it is,
// its keys, a copy that builds offline, and Secret values as the API server would store them.
import assert from "node:assert/strict";
import { join } from "node:path";
import type { KubeObject } from "../../../lib/kustomize/mod.ts";
import { writeTree } from "./tree.ts";

export const SOPS_DIR = new URL("../../../../shared/conformance/sops/", import.meta.url).pathname;
export const FLUX_TREE = SOPS_DIR + "kustomize-controller/internal/controller/testdata/sops";
export const FLUX_KEYS = FLUX_TREE + "/keys/";

export interface FluxExpected {
  secrets: Record<string, Record<string, string>>;
  configMaps: Record<string, Record<string, string>>;
  global: { secrets: Record<string, Record<string, string>> };
}

export async function fluxExpected(): Promise<FluxExpected> {
  return JSON.parse(await Deno.readTextFile(SOPS_DIR + "flux-expected.json"));
}

/**
 * Copies Flux's tree into `dir` so that it builds offline: remote/ names a namespace.yaml on
 * GitHub (Flux's config/default/namespace.yaml, a Namespace), which the copy holds locally.
 */
export async function offlineFluxTree(dir: string): Promise<void> {
  const out = await new Deno.Command("cp", { args: ["-r", FLUX_TREE + "/.", dir] }).output();
  assert.ok(out.success, "copying the Flux test tree");
  const k = join(dir, "remote/kustomization.yaml");
  const text = await Deno.readTextFile(k);
  assert.match(text, /https:\/\/raw\.githubusercontent\.com\/\S+namespace\.yaml/);
  await Deno.writeTextFile(k, text.replace(/https:\/\/\S+/, "namespace.yaml"));
  await writeTree(dir, {
    "remote/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: system\n",
  });
}

/** What the API server stores for a Secret: `data` decoded, overlaid by `stringData`. */
export function secretValues(obj: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, string>)) {
    out[k] = new TextDecoder().decode(Uint8Array.from(atob(v), (c) => c.charCodeAt(0)));
  }
  return { ...out, ...(obj.stringData ?? {}) as Record<string, string> };
}

export function byKindAndName(objects: KubeObject[]): Map<string, KubeObject> {
  return new Map(
    objects.map((o) => [`${o.kind}/${(o.metadata as { name: string }).name}`, o]),
  );
}
