// How a Kustomize renderer hands files to the Decryptor, by the role the file plays, following
// Flux: generator `envs` files are dotenv unless their suffix names another store, generator
// `files` take the store of their *key* (`key=path`), and resources and patches are read in the
// store of their suffix. Files without the store's SOPS marker pass through untouched.
import type { Decryptor } from "./decryptor.ts";
import { formatForEnvFile, formatForPath } from "./format.ts";

export type FileRole =
  /** A `resources:` file (or a manifest of a directory without kustomization). */
  | "resource"
  /** A `patches:` / `patchesStrategicMerge:` file. */
  | "patch"
  /** A secretGenerator/configMapGenerator `envs:` (or `env:`) file. */
  | "env"
  /** A secretGenerator/configMapGenerator `files:` source. */
  | "file"
  /** Anything else (kustomization files, configurations, OpenAPI schemas): never decrypted. */
  | "other";

export interface RenderedFile {
  /** The path as it should appear in errors (relative to the source root). */
  path: string;
  role: FileRole;
  /** For role "file": the data key (`key` of `key=path`, else the file name). */
  key?: string;
}

/** Decrypts a file read by the renderer, before it is parsed or turned into generator data. */
export async function decryptRenderedFile(
  decryptor: Decryptor,
  bytes: Uint8Array,
  file: RenderedFile,
): Promise<Uint8Array> {
  switch (file.role) {
    case "env":
      return await decryptor.decryptFile(bytes, formatForEnvFile(file.path), { file: file.path });
    case "file":
      return await decryptor.decryptFile(bytes, formatForPath(file.key ?? file.path), {
        file: file.path,
      });
    case "resource":
    case "patch": {
      const format = formatForPath(file.path);
      // Manifests are YAML or JSON; other suffixes are read as YAML by Kustomize.
      const store = format === "json" ? "json" : "yaml";
      return await decryptor.decryptFile(bytes, store, { file: file.path });
    }
    case "other":
      return bytes;
  }
}
