// Gunzip with a hard ceiling on the output, so a gzip bomb (a few KB that inflate to GBs) is
// stopped after `maxBytes` instead of exhausting memory.
import { ByteLimitError, readBounded } from "../bytes/mod.ts";
import { ArchiveError } from "./errors.ts";

const GZIP_MAGIC = [0x1f, 0x8b];

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

/** `limitName` says in messages whose limit `maxBytes` is. */
export async function gunzipLimited(
  bytes: Uint8Array,
  maxBytes: number,
  source: string,
  limitName = "the limit for one archive",
): Promise<Uint8Array> {
  if (!isGzip(bytes)) {
    throw new ArchiveError(source, undefined, "not a gzipped archive (no gzip header)");
  }
  // The input is streamed as it is (no copy); gzip's trailer records the inflated size (modulo
  // 2^32, of the last member only), a hint that lets the output be allocated once.
  const inflated = ReadableStream.from<BufferSource>([bytes as Uint8Array<ArrayBuffer>])
    .pipeThrough(new DecompressionStream("gzip"));
  const recordedSize = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 4, 4)
    .getUint32(0, true);
  try {
    return await readBounded(inflated, maxBytes, recordedSize);
  } catch (e) {
    if (e instanceof ByteLimitError) {
      throw new ArchiveError(
        source,
        undefined,
        `decompresses to more than ${maxBytes} bytes (${limitName})`,
      );
    }
    throw new ArchiveError(source, undefined, `corrupt gzip data: ${(e as Error).message}`);
  }
}
