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
  const inflated = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new DecompressionStream("gzip"),
  );
  try {
    return await readBounded(inflated, maxBytes);
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
