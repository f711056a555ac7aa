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

const REMOTE =
  /^(https?:\/\/|ssh:\/\/|git::|git@|github\.com\/|gitlab\.com\/|bitbucket\.org\/)|\?ref=/;

export function looksRemote(ref: string): boolean {
  return REMOTE.test(ref);
}

export type EntryKind = "file" | "dir" | "missing";

/**
 * The part a file plays in a build, for a read hook that treats them differently (SOPS picks the
 * store from it): a `resources:` file, a patch file, a generator `envs:` file, or a generator
 * `files:` source (with its data key). Other files (kustomizations, configurations, schemas,
 * plugin configs) are read without the hook.
 */
export type FileRole = "resource" | "patch" | "env" | "file";

export interface FileUse {
  role: FileRole;
  /** For role "file": the data key (`key` of `key=path`, else the file name). */
  key?: string;
}

/**
 * Turns a file's bytes into what the build uses (decryption). It sees the cached bytes as they
 * are on disk, so the cache never holds its output, and is called on every read.
 */
export type ReadFileHook = (
  bytes: Uint8Array,
  file: FileUse & { /** Relative to the root, as in messages. */ path: string },
) => Promise<Uint8Array>;

/**
 * "rootOnly" (kustomize's default): files a kustomization reads (resources, patches, generator
 * sources...) must be in or below its own directory; other kustomizations may be anywhere in the
 * source root. "none" (what Flux uses): any file in the source root.
 */
export type LoadRestrictions = "rootOnly" | "none";

export class Loader {
  private realRoot = "";

  private constructor(
    readonly root: string,
    readonly limits: KustomizeLimits,
    readonly restrictions: LoadRestrictions,
    /** Env files may take values of bare KEY lines from this process's environment. */
    readonly readsEnvironment: boolean,
    private readonly readFile: ReadFileHook | undefined,
  ) {}

  static async create(
    root: string,
    limits: KustomizeLimits,
    restrictions: LoadRestrictions = "rootOnly",
    readsEnvironment = false,
    readFile?: ReadFileHook,
  ): Promise<Loader> {
    const loader = new Loader(resolve(root), limits, restrictions, readsEnvironment, readFile);
    loader.realRoot = await Deno.realPath(loader.root);
    return loader;
  }

  /** The path as shown in messages: relative to the root. */
  display(abs: string): string {
    if (abs === this.root) return ".";
    if (abs.startsWith(this.root + sep)) return abs.slice(this.root.length + 1);
    return relative(this.root, abs);
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

  /** Resolves a reference that must name a file, applying the load restrictions. */
  resolveFile(baseDir: string, ref: string, file: string, field: string): string {
    const abs = this.resolveRef(baseDir, ref, file, field);
    this.checkFileScope(baseDir, abs, file, field);
    return abs;
  }

  checkFileScope(baseDir: string, abs: string, file: string, field: string): void {
    if (this.restrictions === "rootOnly" && !this.inside(baseDir, abs)) {
      throw new KustomizeSecurityError(
        file,
        field,
        `security; file "${this.display(abs)}" is not in or below "${this.display(baseDir)}" ` +
          "(kustomize's load restrictions: a kustomization reads files only below its directory)",
      );
    }
  }

  private inside(root: string, abs: string): boolean {
    return abs === root || abs.startsWith(root.endsWith(sep) ? root : root + sep);
  }

  /** Follows symlinks and checks the real target is still inside the root. */
  // Metadata calls are synchronous: a build makes hundreds of them and each is a few
  // microseconds, far less than a trip through the event loop.
  private realPaths = new Map<string, string>();

  private realPath(abs: string): string {
    let p = this.realPaths.get(abs);
    if (p === undefined) {
      try {
        p = Deno.realPathSync(abs);
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory)) throw e;
        p = "";
      }
      this.realPaths.set(abs, p);
    }
    return p;
  }

  private memos = new Map<string, unknown>();

  /** A value computed once per loader (one build), e.g. a parsed file. */
  memo<T>(key: string, make: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = make();
    this.memos.set(key, value);
    return value;
  }

  private confined(abs: string, file: string, field: string): string {
    const real = this.realPath(abs);
    if (real === "") return "";
    if (!this.inside(this.realRoot, real)) {
      throw new KustomizeSecurityError(
        file,
        field,
        `"${this.display(abs)}" is a symlink to a path outside the source root; refused`,
      );
    }
    return real;
  }

  // A build reads the same bases once per overlay: file facts and contents are cached for the
  // lifetime of the loader (one build), keyed by the real path.
  private stats = new Map<string, Deno.FileInfo>();
  private contents = new Map<string, Promise<Uint8Array>>();

  private stat(real: string): Deno.FileInfo {
    let p = this.stats.get(real);
    if (!p) this.stats.set(real, p = Deno.statSync(real));
    return p;
  }

  kindOf(abs: string, file: string, field: string): EntryKind {
    const real = this.confined(abs, file, field);
    if (real === "") return "missing";
    const info = this.stat(real);
    return info.isDirectory ? "dir" : "file";
  }

  /**
   * The file's bytes; with `use`, passed through the read hook (when the build has one) for the
   * role the file plays.
   */
  async readBytes(abs: string, file: string, field: string, use?: FileUse): Promise<Uint8Array> {
    const real = this.confined(abs, file, field);
    if (real === "") {
      throw new KustomizeError(file, field, `file "${this.display(abs)}" does not exist`);
    }
    const info = this.stat(real);
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
    let p = this.contents.get(real);
    if (!p) this.contents.set(real, p = Deno.readFile(real));
    const bytes = await p;
    if (use === undefined || this.readFile === undefined) return bytes;
    return await this.readFile(bytes, { ...use, path: this.display(abs) });
  }

  async readText(abs: string, file: string, field: string, use?: FileUse): Promise<string> {
    const bytes = await this.readBytes(abs, file, field, use);
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new KustomizeError(file, field, `"${this.display(abs)}" is not valid UTF-8 text`);
    }
  }

  /** Directory entries, sorted by name (as Go's ReadDir returns them). */
  async list(absDir: string, file: string, field: string): Promise<Deno.DirEntry[]> {
    const real = this.confined(absDir, file, field);
    const out: Deno.DirEntry[] = [];
    for await (const e of Deno.readDir(real)) out.push(e);
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

export { dirname, join };
