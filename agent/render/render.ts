// Render step of a Kustomization: the source artifact's path, built with lib/kustomize under
// Flux's overlay (targetNamespace, namePrefix/Suffix, patches, images, components,
// commonMetadata), then post-build substitution (lib/kustomize's, Flux's envsubst). Returns the
// objects and a digest of them.
import { join, normalize, relative } from "node:path";
import type { KustomizationSpec } from "../config/mod.ts";
import { buildKustomization, KustomizeError } from "../../lib/kustomize/mod.ts";
import { substitute } from "../../lib/kustomize/flux/mod.ts";
import { isKubeObject, type KubeObject } from "../../lib/kube/mod.ts";
import type { Artifact } from "../sources/mod.ts";
import { copyTree } from "./copy_tree.ts";
import { hasKustomizationFile, listManifests, ManifestError } from "./generate.ts";

/** The build failed: Flux's BuildFailed reason, with a message naming file and cause. */
export class BuildFailedError extends Error {
  override readonly name = "BuildFailedError";
  constructor(readonly path: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface RenderResult {
  objects: KubeObject[];
  /** "sha256:<hex>" of the rendered objects, in order. */
  digest: string;
}

export interface RenderOptions {
  /** A scratch directory for this render; created and removed here. */
  workDir: string;
  /** Variables for post-build substitution (substitute plus substituteFrom, already merged). */
  vars?: Record<string, string>;
}

export async function renderKustomization(
  artifact: Artifact,
  spec: KustomizationSpec,
  options: RenderOptions,
): Promise<RenderResult> {
  const path = normalize(spec.path.replace(/^\.?\/*/, "") || ".");
  if (path.startsWith("..")) {
    throw new BuildFailedError(spec.path, `spec.path ${spec.path} leaves the source`);
  }
  const sourceDir = join(artifact.dir, path);
  try {
    if (!(await Deno.stat(sourceDir)).isDirectory) throw new Deno.errors.NotFound();
  } catch {
    throw new BuildFailedError(
      spec.path,
      `spec.path: ${spec.path} does not exist in revision ${artifact.revision}`,
    );
  }
  const root = join(options.workDir, "src");
  await Deno.remove(options.workDir, { recursive: true }).catch(() => {});
  try {
    await copyTree(artifact.dir, root);
    const target = join(root, path);
    if (!(await hasKustomizationFile(target))) {
      const resources = await listManifests(target, spec.path);
      await Deno.writeTextFile(
        join(target, "kustomization.yaml"),
        JSON.stringify({
          apiVersion: "kustomize.config.k8s.io/v1beta1",
          kind: "Kustomization",
          resources,
        }),
      );
    }
    const overlayDir = join(root, ".skiff-overlay");
    await Deno.mkdir(overlayDir);
    await Deno.writeTextFile(
      join(overlayDir, "kustomization.yaml"),
      JSON.stringify(overlayOf(spec, relative(overlayDir, target))),
    );
    let built = await buildKustomization(root, overlayDir);
    if (spec.postBuild) built = substitute(built, options.vars ?? {});
    const objects = built.map((o, i) => {
      if (isKubeObject(o)) return o;
      throw new BuildFailedError(
        spec.path,
        `rendered document ${i + 1} is not a Kubernetes object`,
      );
    });
    return { objects, digest: await digestOf(objects) };
  } catch (e) {
    if (e instanceof BuildFailedError) throw e;
    if (e instanceof KustomizeError || e instanceof ManifestError) {
      throw new BuildFailedError(spec.path, e.message.replaceAll(root + "/", ""), { cause: e });
    }
    throw e;
  } finally {
    await Deno.remove(options.workDir, { recursive: true }).catch(() => {});
  }
}

/** Flux's Kustomization fields, as the kustomization.yaml that wraps the path. */
function overlayOf(spec: KustomizationSpec, resource: string): Record<string, unknown> {
  const overlay: Record<string, unknown> = {
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    resources: [resource],
  };
  if (spec.targetNamespace) overlay.namespace = spec.targetNamespace;
  if (spec.namePrefix) overlay.namePrefix = spec.namePrefix;
  if (spec.nameSuffix) overlay.nameSuffix = spec.nameSuffix;
  if (spec.patches?.length) overlay.patches = spec.patches;
  if (spec.images?.length) overlay.images = spec.images;
  if (spec.components?.length) {
    overlay.components = spec.components.map((c) => join(resource, c));
  }
  // Flux's commonMetadata never touches selectors: labels without includeSelectors.
  if (spec.commonMetadata?.labels) {
    overlay.labels = [{ pairs: spec.commonMetadata.labels, includeSelectors: false }];
  }
  if (spec.commonMetadata?.annotations) {
    overlay.commonAnnotations = spec.commonMetadata.annotations;
  }
  return overlay;
}

async function digestOf(objects: KubeObject[]): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(objects));
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return "sha256:" + [...hash].map((b) => b.toString(16).padStart(2, "0")).join("");
}
