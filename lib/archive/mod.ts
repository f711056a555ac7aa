// Hardened reading of gzipped tar archives (Helm charts, OCI artifact layers): every entry is
// checked before it is used, and sizes are bounded while inflating, not after.
import { gunzipLimited } from "./gunzip.ts";
import { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from "./limits.ts";
import { type ArchiveEntry, readTar } from "./tar.ts";

export { ArchiveError } from "./errors.ts";
export { gunzipLimited, isGzip } from "./gunzip.ts";
export { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from "./limits.ts";
export { type ArchiveEntry, checkEntryName, readTar } from "./tar.ts";
export { type EntryHandler, readTarStream, type StreamEntry } from "./tar_stream.ts";
export { readTgzStream } from "./tgz_stream.ts";

/**
 * Unpacks a gzipped tar into its regular files, refusing unsafe or oversized archives.
 * `limitName` says in messages whose limits these are ("the limit for one chart").
 */
export async function readTgz(
  bytes: Uint8Array,
  source = "archive",
  limits: Partial<ArchiveLimits> = {},
  limitName = "the limit for one archive",
): Promise<ArchiveEntry[]> {
  const all = { ...DEFAULT_ARCHIVE_LIMITS, ...limits };
  // The tar stream is a little larger than its files (headers, padding): allow for that.
  const ceiling = all.maxTotalBytes + all.maxFiles * 1024 + 1024;
  const tar = await gunzipLimited(bytes, ceiling, source, limitName);
  return readTar(tar, all, source);
}
export { type TarFile, writeTar, writeTgz } from "./tar_writer.ts";
