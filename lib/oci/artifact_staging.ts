// An artifact directory filled file by file as a layer streams in: files go into a staging
// directory as they arrive (hashed on the way), and only `promote` renames it into place, so a
// consumer never reads a half-written artifact and a failed pull leaves nothing behind. The
// digest is artifact_dir.ts's formula: sha256 over the sorted lines "path NUL mode NUL size
// NUL sha256(content)", computed from the per-file hashes, not by reading the files again.
import { createHash } from "node:crypto";
import { OciError } from "./errors.ts";

/** Longest stretch of synchronous file writing before other tasks get a turn. */
const YIELD_EVERY_MS = 10;
/** Files up to this size are gathered and written in one call. */
const SMALL_FILE_BYTES = 64 * 1024;

/** A file written to the staging directory. */
export interface StagedFile {
  name: string;
  executable: boolean;
  size: number;
  sha256: string;
}

export interface PromotedArtifact {
  dir: string;
  digest: string;
  files: number;
  size: number;
}

export class ArtifactStaging {
  readonly dir: string;
  readonly #staging: string;
  readonly #made = new Set<string>([""]);
  /** By name: a name written twice keeps its last content, as unpacking with tar does. */
  readonly #files = new Map<string, StagedFile>();
  #lastYield = performance.now();

  private constructor(root: string, name: string) {
    this.dir = `${root}/${name}`;
    this.#staging = `${root}/.${name}.${crypto.randomUUID().slice(0, 8)}`;
  }

  /** A new staging directory for the artifact `<root>/<name>`. */
  static async open(root: string, name: string): Promise<ArtifactStaging> {
    const staging = new ArtifactStaging(root, name);
    await staging.#storage(() => Deno.mkdir(staging.#staging, { recursive: true }));
    return staging;
  }

  /**
   * Writes one file of `size` bytes from its chunks ("/"-separated name, already checked to be
   * safe).
   */
  async write(
    name: string,
    mode: number,
    size: number,
    body: AsyncIterable<Uint8Array>,
  ): Promise<StagedFile> {
    const slash = name.lastIndexOf("/");
    const parent = slash < 0 ? "" : name.slice(0, slash);
    if (!this.#made.has(parent)) {
      await this.#storage(() => Deno.mkdir(`${this.#staging}/${parent}`, { recursive: true }));
      this.#made.add(parent);
    }
    const executable = (mode & 0o111) !== 0;
    const path = `${this.#staging}/${name}`;
    if (this.#files.has(name)) await this.#storage(() => Deno.remove(path));
    const options = { mode: executable ? 0o755 : 0o644 };
    const hash = createHash("sha256");
    // Synchronous writes are ~20x faster than async ones for many small files (no thread-pool
    // round trip per file); yielding after every 10 ms of writing keeps the agent's HTTP server
    // responsive (the decompressor's reads resolve as microtasks, which do not let it run).
    if (size <= SMALL_FILE_BYTES) {
      // Most files of an artifact are small manifests: one write call instead of open, write
      // and close; holding one of them in memory costs nothing.
      const data = new Uint8Array(size);
      let at = 0;
      for await (const chunk of body) {
        data.set(chunk, at);
        at += chunk.length;
      }
      await this.#storage(() => Promise.resolve(Deno.writeFileSync(path, data, options)));
      hash.update(data);
    } else {
      const file = await this.#storage(() =>
        Promise.resolve(
          Deno.openSync(path, { write: true, create: true, truncate: true, ...options }),
        )
      );
      try {
        for await (const chunk of body) {
          await this.#storage(() => Promise.resolve(writeAll(file, chunk)));
          hash.update(chunk);
          await this.#yieldSometimes();
        }
      } finally {
        file.close();
      }
    }
    await this.#yieldSometimes();
    const staged = { name, executable, size, sha256: hash.digest("hex") };
    this.#files.set(name, staged);
    return staged;
  }

  /**
   * Removes the files `keep` refuses, then renames the staging directory to the artifact's
   * (replacing an older one of that name) and returns its digest, file count and size.
   */
  async promote(keep: (name: string) => boolean): Promise<PromotedArtifact> {
    const kept: StagedFile[] = [];
    for (const f of this.#files.values()) {
      if (keep(f.name)) kept.push(f);
      else await this.#storage(() => this.#removeWithEmptyParents(f.name));
    }
    kept.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const hash = createHash("sha256");
    let size = 0;
    for (const f of kept) {
      const mode = f.executable ? "100755" : "100644";
      hash.update(`${f.name}\0${mode}\0${f.size}\0${f.sha256}\n`);
      size += f.size;
    }
    await this.#storage(async () => {
      await Deno.remove(this.dir, { recursive: true }).catch(() => {});
      await Deno.rename(this.#staging, this.dir);
    });
    return { dir: this.dir, digest: `sha256:${hash.digest("hex")}`, files: kept.length, size };
  }

  /** Removes the staging directory (a failed pull); the artifacts beside it are untouched. */
  async discard(): Promise<void> {
    await Deno.remove(this.#staging, { recursive: true }).catch(() => {});
  }

  /** Removes an ignored file, and the directories it leaves empty (which it alone implied). */
  async #removeWithEmptyParents(name: string): Promise<void> {
    await Deno.remove(`${this.#staging}/${name}`);
    for (let dir = name; dir.includes("/");) {
      dir = dir.slice(0, dir.lastIndexOf("/"));
      try {
        await Deno.remove(`${this.#staging}/${dir}`); // fails while the directory is not empty
      } catch {
        return;
      }
      this.#made.delete(dir);
    }
  }

  async #yieldSometimes(): Promise<void> {
    if (performance.now() - this.#lastYield < YIELD_EVERY_MS) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.#lastYield = performance.now();
  }

  /** Runs a disk operation; its failure becomes OciError "Storage" naming the artifact. */
  async #storage<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      throw new OciError(
        "Storage",
        `cannot write the artifact to ${this.dir}: ${(e as Error).message}`,
        e,
      );
    }
  }
}

function writeAll(file: Deno.FsFile, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
}
