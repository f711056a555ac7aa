// A gzipped tar read as a stream (see tar_stream.ts), with readTgz's bounds: the inflated bytes
// are counted as they come out of the decompressor, so a gzip bomb is stopped at the ceiling
// without ever being held. Failures are reported in readTgz's order, where the whole layer was
// inflated before the tar was read: a bomb or corrupt gzip data wins over an entry's refusal.
import { ArchiveError } from "./errors.ts";
import { isGzip } from "./gunzip.ts";
import { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from "./limits.ts";
import { type EntryHandler, readTarStream } from "./tar_stream.ts";

/** Unpacks a gzipped tar stream file by file, refusing what readTgz refuses. */
export async function readTgzStream(
  compressed: AsyncIterable<Uint8Array>,
  onFile: EntryHandler,
  source = "archive",
  limits: Partial<ArchiveLimits> = {},
  limitName = "the limit for one archive",
): Promise<void> {
  const all = { ...DEFAULT_ARCHIVE_LIMITS, ...limits };
  // The tar stream is a little larger than its files (headers, padding): allow for that.
  const ceiling = all.maxTotalBytes + all.maxFiles * 1024 + 1024;
  const inflated = inflate(compressed, ceiling, source, limitName);
  try {
    await readTarStream(inflated, all, source, onFile);
  } catch (e) {
    if (!(e instanceof ArchiveError)) throw e;
    for await (const _ of inflated) { /* a bomb or bad gzip data explains more than e */ }
    throw e;
  }
  // The end-of-archive blocks, then gzip's trailer (its CRC checks the bytes read).
  for await (const _ of inflated) { /* counted and checked in inflate() */ }
}

/** The inflated bytes; ArchiveError past `ceiling` or on corrupt data, the source's own errors as they are. */
async function* inflate(
  compressed: AsyncIterable<Uint8Array>,
  ceiling: number,
  source: string,
  limitName: string,
): AsyncGenerator<Uint8Array> {
  let sourceError: { error: unknown } | undefined;
  const checked = async function* (): AsyncGenerator<Uint8Array<ArrayBuffer>> {
    let first = true;
    try {
      for await (const chunk of compressed) {
        if (chunk.length === 0) continue;
        // A one-byte first chunk cannot show the magic; registries send far more than that.
        if (first && !(isGzip(chunk) || (chunk.length === 1 && chunk[0] === 0x1f))) {
          throw new ArchiveError(source, undefined, "not a gzipped archive (no gzip header)");
        }
        first = false;
        yield chunk as Uint8Array<ArrayBuffer>;
      }
      if (first) throw new ArchiveError(source, undefined, "not a gzipped archive (it is empty)");
    } catch (e) {
      sourceError = { error: e };
      throw e;
    }
  };
  const reader = ReadableStream.from<BufferSource>(checked())
    .pipeThrough(new DecompressionStream("gzip")).getReader();
  let total = 0;
  try {
    while (true) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (e) {
        if (sourceError) throw sourceError.error;
        throw new ArchiveError(source, undefined, `corrupt gzip data: ${(e as Error).message}`);
      }
      if (next.done) return;
      total += next.value.length;
      if (total > ceiling) {
        throw new ArchiveError(
          source,
          undefined,
          `decompresses to more than ${ceiling} bytes (${limitName})`,
        );
      }
      yield next.value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
