// Loads ../shared/conformance/sops (cases.json, key files, expected plaintexts) for the tests.
import { parseAll } from "../../../lib/yaml/mod.ts";
import { Decryptor, Keyring, type SopsFormat } from "../../../lib/sops/mod.ts";

export const CONFORMANCE_DIR = new URL("../../../../shared/conformance/sops/", import.meta.url)
  .pathname;

export interface ConformanceCase {
  encrypted: string;
  format: SopsFormat;
  keys: string[];
  expected: string | null;
  expectError: boolean;
  mode: "sops" | "flux" | "flux-secret-data";
  expectedExactOutput?: string;
  expectedComments?: { text: string; aad: string | null }[];
  notes?: string;
}

export async function loadCases(): Promise<ConformanceCase[]> {
  const table = JSON.parse(await Deno.readTextFile(CONFORMANCE_DIR + "cases.json"));
  return table.cases as ConformanceCase[];
}

export async function keyringFor(keyFiles: string[]): Promise<Keyring> {
  let ring = Keyring.empty();
  for (const f of keyFiles) {
    ring = ring.merge(await Keyring.fromKeyFile(await Deno.readTextFile(CONFORMANCE_DIR + f), f));
  }
  return ring;
}

/** Parses plaintext of a store into comparable data, as the conformance README describes. */
export function asData(bytes: Uint8Array, format: SopsFormat): unknown {
  const text = new TextDecoder().decode(bytes);
  switch (format) {
    case "yaml":
      return parseAll(text);
    case "json":
      return JSON.parse(text);
    case "dotenv":
      return Object.fromEntries(
        text.split("\n").filter((l) => l && !l.startsWith("#")).map((l) => {
          const eq = l.indexOf("=");
          return [l.slice(0, eq), l.slice(eq + 1)];
        }),
      );
    case "ini": {
      const out: Record<string, Record<string, string>> = {};
      let section = "DEFAULT";
      for (const raw of text.split("\n")) {
        const line = raw.trim();
        if (!line || line.startsWith(";") || line.startsWith("#")) continue;
        const header = /^\[(.*)\]$/.exec(line);
        if (header) {
          section = header[1];
          continue;
        }
        const eq = line.indexOf("=");
        (out[section] ??= {})[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
      }
      return out;
    }
    case "binary":
      return Array.from(bytes);
  }
}

/** The keys of Flux's SOPS test tree (kustomize-controller's testdata/sops/keys/). */
export const FLUX_TEST_KEYS = CONFORMANCE_DIR +
  "kustomize-controller/internal/controller/testdata/sops/keys/";

/** The decryption Secret of Flux's test: pgp.asc, age.agekey and the post-quantum age key. */
export async function fluxDecryptor(): Promise<Decryptor> {
  const read = (f: string) => Deno.readTextFile(FLUX_TEST_KEYS + f);
  const ring = await Keyring.fromSecretData({
    "pgp.asc": await read("pgp.asc"),
    "age.agekey": await read("age.txt"),
    "age-pq.agekey": await read("age-pq.txt"),
  }, { source: "Secret flux-system/sops-keys" });
  return new Decryptor(ring);
}
