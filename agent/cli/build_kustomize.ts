// `skiff build kustomize DIR`: render a Kustomize directory to stdout exactly as
// `kustomize build DIR` prints it, so the two can be diffed. Files are read only inside the
// confinement root: the enclosing Git checkout, else the current directory when DIR is inside
// it, else the whole file system (a local command reads the user's own files; the agent always
// confines builds to the source artifact). With `--decryption-key FILE` SOPS files are
// decrypted as Flux's kustomize-controller decrypts them. Exit codes: 0 rendered, 1 the build
// failed (a file that cannot be decrypted too), 2 DIR or a key file cannot be used.
import { dirname, relative, resolve } from "node:path";
import { buildKustomization, emitYaml, KustomizeError } from "../../lib/kustomize/mod.ts";
import { Decryptor, Keyring, SopsKeyError } from "../../lib/sops/mod.ts";
import { palette } from "./output.ts";

export interface BuildKustomizeOptions {
  /** The confinement root; default: see above. */
  root?: string;
  /** "legacy" (kustomize's default) or "fifo" (the order Flux applies). */
  sort?: "legacy" | "fifo";
  /** Where the YAML goes (tests pass a buffer). */
  write?: (text: string) => void;
  /** Key files (age identities or armored OpenPGP private keys) to decrypt SOPS files with. */
  decryptionKeys?: string[];
}

/** Reads the key files into one keyring; a message for the user when one cannot be used. */
async function readKeyring(files: string[]): Promise<Keyring | string> {
  let ring = Keyring.empty();
  for (const file of files) {
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch (e) {
      const why = e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message;
      return `--decryption-key ${file}: ${why}`;
    }
    try {
      ring = ring.merge(await Keyring.fromKeyFile(text, file));
    } catch (e) {
      if (e instanceof SopsKeyError) return `--decryption-key ${e.message}`;
      throw e;
    }
  }
  return ring;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function defaultRoot(dir: string): Promise<string> {
  for (let d = dir;; d = dirname(d)) {
    if (await exists(`${d}/.git`)) return d;
    if (dirname(d) === d) break;
  }
  const cwd = Deno.cwd();
  return dir === cwd || dir.startsWith(cwd + "/") ? cwd : "/";
}

export async function buildKustomizeCommand(
  dir: string,
  options: BuildKustomizeOptions = {},
): Promise<number> {
  const colors = palette(Deno.stderr);
  const abs = resolve(dir);
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(abs);
  } catch {
    console.error(`${colors.red("error:")} ${dir}: no such directory`);
    return 2;
  }
  if (!info.isDirectory) {
    console.error(`${colors.red("error:")} ${dir}: not a directory`);
    return 2;
  }
  const root = resolve(options.root ?? await defaultRoot(abs));
  let decryptor: Decryptor | undefined;
  if (options.decryptionKeys?.length) {
    const ring = await readKeyring(options.decryptionKeys);
    if (typeof ring === "string") {
      console.error(`${colors.red("error:")} ${ring}`);
      return 2;
    }
    decryptor = new Decryptor(ring);
  }
  try {
    const objects = await buildKustomization(root, relative(root, abs) || ".", {
      sort: options.sort,
      // A local command on the user's own files behaves as kustomize does.
      readsEnvironment: true,
      decryptor,
    });
    const text = emitYaml(objects);
    if (options.write) options.write(text);
    else await Deno.stdout.write(new TextEncoder().encode(text));
    return 0;
  } catch (e) {
    if (e instanceof KustomizeError) {
      console.error(`${colors.red("error:")} ${e.message}`);
      return 1;
    }
    throw e;
  }
}
