// SOPS decryption inside a build, as kustomize-controller does it. Files are decrypted as they are
// read, by the part they play (SOPS's MAC covers every value, including the names and namespaces
// the build is about to change, so a resource must be verified before it is transformed); after
// the build each object gets one more pass for SOPS documents still whole in it (a Secret whose
// `data` values are SOPS files). Both honour `kustomize.toolkit.fluxcd.io/decrypt: disabled`.
import { parseAll, YamlError } from "../yaml/mod.ts";
import {
  DECRYPT_ANNOTATION,
  type Decryptor,
  decryptRenderedFile,
  hasSopsMarker,
  SopsError,
} from "../sops/mod.ts";
import { KustomizeDecryptionError } from "./errors.ts";
import type { ReadFileHook } from "./loader.ts";
import { isMap, type Resource } from "./resource.ts";

/** The loader's read hook that decrypts SOPS files. */
export function sopsReadHook(decryptor: Decryptor): ReadFileHook {
  return async (bytes, file) => {
    if (file.role === "resource" && keepsEncrypted(bytes, file.path)) return bytes;
    try {
      return await decryptRenderedFile(decryptor, bytes, file);
    } catch (e) {
      throw asBuildError(e, file.path);
    }
  };
}

/** Decrypts SOPS documents left inside the built objects, in place. */
export async function decryptBuiltResources(
  resources: Resource[],
  decryptor: Decryptor,
): Promise<void> {
  for (const r of resources) {
    try {
      r.obj = await decryptor.decryptDocument(r.obj, { file: r.origin });
    } catch (e) {
      throw asBuildError(e, r.origin);
    }
  }
}

/**
 * Whether a resource file is to be left encrypted because a SOPS document in it is annotated
 * `decrypt: disabled`. Such a file is passed on as written (its other documents, if any, are
 * decrypted after the build). Parsed only when both the marker and the annotation are present.
 */
function keepsEncrypted(bytes: Uint8Array, path: string): boolean {
  const format = path.endsWith(".json") ? "json" : "yaml";
  if (!hasSopsMarker(bytes, format)) return false;
  const text = new TextDecoder().decode(bytes);
  if (!text.includes(DECRYPT_ANNOTATION)) return false;
  let docs: unknown[];
  try {
    docs = parseAll(text, { file: path });
  } catch (e) {
    // The decryptor reports the syntax error with its own context.
    if (e instanceof YamlError) return false;
    throw e;
  }
  return docs.some((d) => isMap(d) && d.sops !== undefined && decryptionDisabled(d));
}

function decryptionDisabled(obj: Record<string, unknown>): boolean {
  const meta = obj.metadata;
  if (!isMap(meta) || !isMap(meta.annotations)) return false;
  const v = meta.annotations[DECRYPT_ANNOTATION];
  return typeof v === "string" && v.toLowerCase() === "disabled";
}

function asBuildError(e: unknown, path: string): unknown {
  if (!(e instanceof SopsError)) return e;
  return new KustomizeDecryptionError(e.file ?? path, "", e.detail, e);
}
