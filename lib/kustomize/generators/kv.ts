// The key/value sources of configMapGenerator and secretGenerator: `literals` ("k=v", surrounding
// matching quotes removed), `files` ("path" keyed by its base name, or "key=path") and env files
// (`envs`, deprecated `env`: KEY=VALUE lines, # comments, a bare KEY reads the environment).
import { basename } from "node:path";
import { KustomizeError } from "../errors.ts";
import type { GeneratorArgs } from "../kustomization.ts";
import type { Loader } from "../loader.ts";

export interface KvPair {
  key: string;
  /** Text values; bytes that are not UTF-8 go to binaryData. */
  value: string | Uint8Array;
}

function removeQuotes(s: string): string {
  if (s.length < 2 || s[0] !== s[s.length - 1]) return s;
  return s[0] === '"' || s[0] === "'" ? s.slice(1, -1) : s;
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * `env` looks up a bare KEY line. kustomize reads its own process environment there; a renderer
 * of untrusted repositories must not (it would copy the agent's secrets into a ConfigMap), so
 * without a lookup (all but local builds) such a key gets "", as if the variable were unset.
 */
export function parseEnvFile(
  text: string,
  file: string,
  field: string,
  env?: (key: string) => string | undefined,
): KvPair[] {
  const out: KvPair[] = [];
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, "").replace(/^\s+/, "");
    if (line === "" || line.startsWith("#")) return;
    const eq = line.indexOf("=");
    const key = eq < 0 ? line : line.slice(0, eq);
    if (!ENV_NAME.test(key)) {
      throw new KustomizeError(
        file,
        field,
        `line ${i + 1}: "${key}" is not a valid key name for an env file entry`,
      );
    }
    out.push({ key, value: eq < 0 ? (env?.(key) ?? "") : line.slice(eq + 1) });
  });
  return out;
}

export async function collectPairs(
  args: GeneratorArgs,
  loader: Loader,
  dir: string,
  file: string,
  field: string,
): Promise<KvPair[]> {
  const pairs: KvPair[] = [];
  const envs = [...(args.envs ?? []), ...(args.env ? [args.env] : [])];
  for (let i = 0; i < envs.length; i++) {
    const f = `${field}.envs[${i}]`;
    const abs = loader.resolveFile(dir, envs[i], file, f);
    const env = loader.readsEnvironment ? (k: string) => Deno.env.get(k) : undefined;
    pairs.push(...parseEnvFile(await loader.readText(abs, file, f, { role: "env" }), file, f, env));
  }
  (args.literals ?? []).forEach((lit, i) => {
    const f = `${field}.literals[${i}]`;
    const s = String(lit);
    const eq = s.indexOf("=");
    if (eq <= 0) {
      throw new KustomizeError(file, f, `invalid literal "${s}": expected key=value`);
    }
    pairs.push({ key: s.slice(0, eq), value: removeQuotes(s.slice(eq + 1)) });
  });
  for (let i = 0; i < (args.files ?? []).length; i++) {
    const f = `${field}.files[${i}]`;
    const spec = String(args.files![i]);
    const eq = spec.indexOf("=");
    let key: string, path: string;
    if (eq < 0) {
      path = spec;
      key = basename(spec);
    } else {
      key = spec.slice(0, eq);
      path = spec.slice(eq + 1);
      if (key === "" || path === "") {
        throw new KustomizeError(file, f, `invalid file source "${spec}": expected key=path`);
      }
    }
    const abs = loader.resolveFile(dir, path, file, f);
    const kind = loader.kindOf(abs, file, f);
    if (kind === "dir") {
      throw new KustomizeError(file, f, `"${path}" is a directory; name files one by one`);
    }
    const bytes = await loader.readBytes(abs, file, f, { role: "file", key });
    let value: string | Uint8Array;
    try {
      value = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      value = bytes;
    }
    pairs.push({ key, value });
  }
  const seen = new Set<string>();
  for (const p of pairs) {
    if (seen.has(p.key)) {
      throw new KustomizeError(
        file,
        field,
        `${args.name ?? "generator"} illegally repeats the key "${p.key}"`,
      );
    }
    seen.add(p.key);
  }
  return pairs;
}
