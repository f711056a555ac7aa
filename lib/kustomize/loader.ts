// Confined file access for an untrusted source tree: every path a kustomization names is resolved
// inside the root. `../` may climb within the root but never out of it, absolute paths and remote
// references are refused, and symlinks are followed only when their target stays inside the root.
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from "node:path";
import { formatBytes } from "../yaml/mod.ts";
import { KustomizeError, KustomizeLimitError, KustomizeSecurityError } from "./errors.ts";

export interface KustomizeLimits {
  /** Largest file read (resource, patch, generator source), in bytes. */
  maxFileBytes: number;
  /** Most objects a build may produce. */
  maxObjects: number;
  /** Deepest chain of kustomizations including one another. */
  maxDepth: number;
  /** YAML aliases resolved per document at most. */
  maxAliases: number;
}

export const DEFAULT_KUSTOMIZE_LIMITS: KustomizeLimits = {
  maxFileBytes: 8 * 1024 * 1024,
  maxObjects: 100_000,
  maxDepth: 64,
  maxAliases: 100,
};

const REMOTE = /^(https?:\/\/|ssh:\/\/|git::|git@|github\.com\/|gitlab\.com\/|bitbucket\.org\/)|\?ref=/;

export function looksRemote(ref: string): boolean {
  return REMOTE.test(ref);
}

export type EntryKind = "file" | "dir" | "missing";

export class Loader {
  private realRoot = "";

  private constructor(readonly root: string, readonly limits: KustomizeLimits) {}

  static async create(root: string, limits: KustomizeLimits): Promise<Loader> {
    const loader = new Loader(resolve(root), limits);
    loader.realRoot = await Deno.realPath(loader.root);
    return loader;
  }

  /** The path as shown in messages: relative to the root. */
  display(abs: string): string {
    const rel = relative(this.root, abs);
    return rel === "" ? "." : rel;
  }

  /**
   * Resolves `ref` (as written in `file`'s `field`) against `baseDir`, refusing anything that
   * would leave the root.
   */
  resolveRef(baseDir: string, ref: string, file: string, field: string): string {
    if (looksRemote(ref)) {
      throw new KustomizeSecurityError(
        file,
        field,
        `remote reference "${ref}" refused: skiff builds only from the source root (no network fetches)`,
      );
    }
    if (isAbsolute(ref)) {
      throw new KustomizeSecurityError(
        file,
        field,
        `absolute path "${ref}" refused: paths must be relative to the kustomization`,
      );
    }
    const abs = normalize(join(baseDir, ref));
    if (!this.inside(this.root, abs)) {
      throw new KustomizeSecurityError(
        file,
        field,
        `path "${ref}" leaves the source root: "../" may not climb above it`,
      );
    }
    return abs;
  }

  private inside(root: string, abs: string): boolean {
    return abs === root || abs.startsWith(root.endsWith(sep) ? root : root + sep);
  }

  /** Follows symlinks and checks the real target is still inside the root. */
  private async confined(abs: string, file: string, field: string): Promise<string> {
    let real: string;
    try {
      real = await Deno.realPath(abs);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return "";
      throw e;
    }
    if (!this.inside(this.realRoot, real)) {
      throw new KustomizeSecurityError(
        file,
        field,
        `"${this.display(abs)}" is a symlink to a path outside the source root; refused`,
      );
    }
    return real;
  }

  async kindOf(abs: string, file: string, field: string): Promise<EntryKind> {
    const real = await this.confined(abs, file, field);
    if (real === "") return "missing";
    const info = await Deno.stat(real);
    return info.isDirectory ? "dir" : "file";
  }

  async readBytes(abs: string, file: string, field: string): Promise<Uint8Array> {
    const real = await this.confined(abs, file, field);
    if (real === "") {
      throw new KustomizeError(file, field, `file "${this.display(abs)}" does not exist`);
    }
    const info = await Deno.stat(real);
    if (info.isDirectory) {
      throw new KustomizeError(file, field, `"${this.display(abs)}" is a directory, not a file`);
    }
    if (info.size > this.limits.maxFileBytes) {
      throw new KustomizeLimitError(
        file,
        field,
        `"${this.display(abs)}" is ${formatBytes(info.size)}, over the limit of ${
          formatBytes(this.limits.maxFileBytes)
        }`,
      );
    }
    return await Deno.readFile(real);
  }

  async readText(abs: string, file: string, field: string): Promise<string> {
    const bytes = await this.readBytes(abs, file, field);
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new KustomizeError(file, field, `"${this.display(abs)}" is not valid UTF-8 text`);
    }
  }

  /** Directory entries, sorted by name (as Go's ReadDir returns them). */
  async list(absDir: string, file: string, field: string): Promise<Deno.DirEntry[]> {
    const real = await this.confined(absDir, file, field);
    const out: Deno.DirEntry[] = [];
    for await (const e of Deno.readDir(real)) out.push(e);
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

export { dirname, join };
