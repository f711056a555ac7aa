// A tar reader that never holds the archive: entries are read from a stream of chunks as they
// arrive (an OCI layer straight off the network), and each regular file's bytes are handed on
// as they pass, so memory stays at one chunk however big the archive is. The rules are those
// of readTar (tar_header.ts); only the order differs: an entry is refused when its header is
// read, before the entries after it have arrived.
import { ArchiveError } from "./errors.ts";
import type { ArchiveLimits } from "./limits.ts";
import { BLOCK, EntryRules, isMetaEntry, parseHeader } from "./tar_header.ts";

/** A regular file of the archive, as its header describes it. */
export interface StreamEntry {
  /** "/"-separated, as written in the archive (PAX and GNU long names applied). */
  name: string;
  /** Permission bits as written (e.g. 0o755). */
  mode: number;
  size: number;
}

/**
 * Called once per regular file, in archive order, with its bytes. The handler may stop reading
 * `body` early: the reader skips what is left.
 */
export type EntryHandler = (entry: StreamEntry, body: AsyncIterable<Uint8Array>) => Promise<void>;

/** Reads every regular file of an uncompressed tar stream, enforcing `limits`. */
export async function readTarStream(
  chunks: AsyncIterator<Uint8Array> | Iterator<Uint8Array>,
  limits: ArchiveLimits,
  source: string,
  onFile: EntryHandler,
): Promise<void> {
  const reader = new ChunkReader(chunks, source);
  const rules = new EntryRules(limits, source);
  while (true) {
    const at = reader.offset;
    const block = await reader.exactly(BLOCK);
    // As readTar: a missing end-of-archive marker (or a partial last block) ends the archive.
    if (block.length < BLOCK) return;
    const header = parseHeader(block, at, source);
    if (header === null) return;
    const padding = Math.ceil(header.size / BLOCK) * BLOCK - header.size;
    if (isMetaEntry(header.type)) {
      rules.checkMetaSize(header);
      const data = await reader.exactly(header.size);
      if (data.length < header.size) throw reader.truncated();
      rules.meta(header, data);
      await reader.skip(padding, false);
      continue;
    }
    const name = rules.admit(header);
    if (name === undefined) {
      await reader.skip(header.size);
      await reader.skip(padding, false);
      continue;
    }
    const body = new BodyReader(reader, header.size);
    await onFile({ name, mode: header.mode, size: header.size }, body);
    await reader.skip(body.remaining);
    await reader.skip(padding, false);
  }
}

/** One file's bytes: exactly `remaining` more from the archive, as views of its chunks. */
class BodyReader implements AsyncIterable<Uint8Array> {
  constructor(readonly reader: ChunkReader, public remaining: number) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    while (this.remaining > 0) {
      const chunk = await this.reader.some(this.remaining);
      if (chunk === undefined) throw this.reader.truncated();
      this.remaining -= chunk.length;
      yield chunk;
    }
  }
}

/** Chunks read as blocks of any size: views where a block lies in one chunk, copies across. */
class ChunkReader {
  #head: Uint8Array = new Uint8Array(0);
  #done = false;
  /** Bytes handed out so far (headers' offsets in messages). */
  offset = 0;

  constructor(
    readonly chunks: AsyncIterator<Uint8Array> | Iterator<Uint8Array>,
    readonly source: string,
  ) {}

  truncated(): ArchiveError {
    return new ArchiveError(this.source, undefined, "truncated tar archive");
  }

  /** Up to `max` bytes (at least one), or undefined at the end of the stream. */
  async some(max: number): Promise<Uint8Array | undefined> {
    while (this.#head.length === 0) {
      if (this.#done) return undefined;
      const next = await this.chunks.next();
      if (next.done) {
        this.#done = true;
        return undefined;
      }
      this.#head = next.value;
    }
    const out = this.#head.subarray(0, max);
    this.#head = this.#head.subarray(out.length);
    this.offset += out.length;
    return out;
  }

  /** Exactly `n` bytes, or fewer when the stream ends first. */
  async exactly(n: number): Promise<Uint8Array> {
    const first = await this.some(n);
    if (first === undefined) return new Uint8Array(0);
    if (first.length === n) return first;
    const out = new Uint8Array(n);
    out.set(first);
    let got = first.length;
    while (got < n) {
      const chunk = await this.some(n - got);
      if (chunk === undefined) return out.subarray(0, got);
      out.set(chunk, got);
      got += chunk.length;
    }
    return out;
  }

  /** Skips `n` bytes; a stream ending first is truncated, unless they are only `required` padding. */
  async skip(n: number, required = true): Promise<void> {
    while (n > 0) {
      const chunk = await this.some(n);
      if (chunk === undefined) {
        // As readTar: the padding after the last entry may be missing.
        if (!required) return;
        throw this.truncated();
      }
      n -= chunk.length;
    }
  }
}
