// What every SOPS store does for decryption: read a file into branches plus its raw `sops`
// metadata, and write decrypted branches back in the same format.
import type { Branch } from "../tree.ts";

export type SopsFormat = "yaml" | "json" | "dotenv" | "ini" | "binary";

export interface LoadedFile {
  branches: Branch[];
  /** The `sops` section as plain data; undefined when the file carries none. */
  metadata: unknown;
  /** YAML only: each document's own `sops` section (undefined where it has none). */
  documentMetadata?: unknown[];
}

export interface Store {
  load(bytes: Uint8Array, file: string | undefined): LoadedFile;
  emit(branches: Branch[]): Uint8Array;
}

/** Reads text as Go would see it: UTF-8, with a byte-order mark left in place. */
export function decodeText(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
}
