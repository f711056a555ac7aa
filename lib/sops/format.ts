// Which SOPS store reads a file, chosen as Flux and SOPS choose it: from the file name's
// suffix, anything unknown being the binary store; and the marker bytes that show a store's
// file is SOPS-encrypted at all.
import { BinaryStore } from "./stores/binary.ts";
import { DotenvStore } from "./stores/dotenv.ts";
import { IniStore } from "./stores/ini.ts";
import { JsonStore } from "./stores/json.ts";
import type { SopsFormat, Store } from "./stores/store.ts";
import { YamlStore } from "./stores/yaml.ts";

/** SOPS's FormatForPath, plus Flux's rule that `.dockerconfigjson` entries are JSON. */
export function formatForPath(path: string): SopsFormat {
  if (path.endsWith(".yaml") || path.endsWith(".yml")) return "yaml";
  if (path.endsWith(".json") || path.endsWith(".dockerconfigjson")) return "json";
  if (path.endsWith(".env")) return "dotenv";
  if (path.endsWith(".ini")) return "ini";
  return "binary";
}

/**
 * The format for a generator `envs:` file: Flux reads those as dotenv unless the suffix names
 * another store.
 */
export function formatForEnvFile(path: string): SopsFormat {
  const f = formatForPath(path);
  return f === "binary" ? "dotenv" : f;
}

const MARKERS: Record<SopsFormat, string> = {
  binary: '"mac": "ENC[',
  json: '"mac": "ENC[',
  yaml: "mac: ENC[",
  dotenv: "sops_mac=ENC[",
  ini: "[sops]",
};

/** Whether the bytes carry the SOPS marker of `format` (Flux decrypts only such files). */
export function hasSopsMarker(bytes: Uint8Array, format: SopsFormat): boolean {
  return indexOf(bytes, new TextEncoder().encode(MARKERS[format])) >= 0;
}

/** The store whose marker the bytes carry, for SOPS files nested in Secret data. */
export function detectFormat(bytes: Uint8Array): SopsFormat | undefined {
  for (const f of ["json", "yaml", "dotenv", "ini"] as const) {
    if (hasSopsMarker(bytes, f)) return f;
  }
  return undefined;
}

export function storeFor(format: SopsFormat): Store {
  switch (format) {
    case "yaml":
      return new YamlStore();
    case "json":
      return new JsonStore();
    case "dotenv":
      return new DotenvStore();
    case "ini":
      return new IniStore();
    case "binary":
      return new BinaryStore();
  }
}

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
