// Render step of a Kustomization, as kustomize-controller does it: lib/kustomize's Flux build of
// the artifact's path (a kustomization generated for a plain directory, the Flux spec folded in,
// FIFO order, no load restrictions, SOPS files decrypted when a decryptor is given; nothing
// written to disk), then post-build substitution. Returns the objects and a digest of them.
import { join, normalize } from "node:path";
import type { KustomizationSpec } from "../config/mod.ts";
import {
  buildFluxKustomization,
  KustomizeDecryptionError,
  KustomizeError,
} from "../../lib/kustomize/mod.ts";
import { substitute } from "../../lib/kustomize/flux/mod.ts";
import { isKubeObject, type KubeObject } from "../../lib/kube/mod.ts";
import type { Decryptor, SopsError } from "../../lib/sops/mod.ts";
import type { Artifact } from "../sources/mod.ts";

/** The build failed: Flux's BuildFailed reason, with a message naming file and cause. */
export class BuildFailedError extends Error {
  override readonly name = "BuildFailedError";
  constructor(readonly path: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A SOPS file could not be decrypted: names the file and SOPS's reason, never a value. */
export class DecryptionFailedError extends BuildFailedError {
  constructor(path: string, readonly file: string, readonly reason: string, cause: unknown) {
    super(path, `decryption of ${file} failed: ${reason}`, { cause });
  }
}

export interface RenderResult {
  objects: KubeObject[];
  /** "sha256:<hex>" of the rendered objects, in order. */
  digest: string;
}

export interface RenderOptions {
  /** Variables for post-build substitution (substitute plus substituteFrom, already merged). */
  vars?: Record<string, string>;
  /** spec.decryption's keys; without it SOPS files stay encrypted, as in Flux. */
  decryptor?: Decryptor;
}

export async function renderKustomization(
  artifact: Artifact,
  spec: KustomizationSpec,
  options: RenderOptions = {},
): Promise<RenderResult> {
  const path = normalize(spec.path.replace(/^\.?\/*/, "") || ".");
  if (path.startsWith("..")) {
    throw new BuildFailedError(spec.path, `spec.path ${spec.path} leaves the source`);
  }
  try {
    if (!(await Deno.stat(join(artifact.dir, path))).isDirectory) throw new Deno.errors.NotFound();
  } catch {
    throw new BuildFailedError(
      spec.path,
      `spec.path: ${spec.path} does not exist in revision ${artifact.revision}`,
    );
  }
  try {
    let built = await buildFluxKustomization(artifact.dir, path, spec, {
      decryptor: options.decryptor,
    });
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
    if (e instanceof KustomizeDecryptionError) {
      // Typed, not imported: lib/sops loads only when decryption is used.
      const sops = e.cause as Partial<SopsError> | undefined;
      const reason = sops?.detail ? `${sops.detail} (${sops.reason})` : e.reason;
      throw new DecryptionFailedError(spec.path, e.file, reason, e);
    }
    if (e instanceof KustomizeError) {
      throw new BuildFailedError(spec.path, e.message.replaceAll(artifact.dir + "/", ""), {
        cause: e,
      });
    }
    throw e;
  }
}

async function digestOf(objects: KubeObject[]): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(objects));
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return "sha256:" + [...hash].map((b) => b.toString(16).padStart(2, "0")).join("");
}
