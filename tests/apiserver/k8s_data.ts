// Where the emulator reads the Kubernetes 1.34 API data: tests/apiserver/data/, the part of
// ../shared/k8s it serves (GA group-versions), vendored by data/vendor.ts so the emulator and the
// demo run from the repository alone.
import { gunzipSync } from "node:zlib";

export const K8S_DATA_DIR = new URL("./data/", import.meta.url).pathname;

/** The bytes of a gzipped data file, uncompressed. */
export function readGzipped(name: string): Uint8Array {
  return gunzipSync(Deno.readFileSync(`${K8S_DATA_DIR}${name}`));
}

export function readJson<T>(name: string): T {
  const text = name.endsWith(".gz")
    ? new TextDecoder().decode(readGzipped(name))
    : Deno.readTextFileSync(`${K8S_DATA_DIR}${name}`);
  return JSON.parse(text) as T;
}
