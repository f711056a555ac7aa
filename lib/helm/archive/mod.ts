// Hardened reading of .tgz chart archives.
import { gunzipLimited } from "./gunzip.ts";
import { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from "./limits.ts";
import { type ArchiveEntry, readTar } from "./tar.ts";

export { ArchiveError } from "./errors.ts";
export { gunzipLimited, isGzip } from "./gunzip.ts";
export { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from "./limits.ts";
export { type ArchiveEntry, checkEntryName } from "./tar.ts";

/** Unpacks a gzipped tar into its regular files, refusing unsafe or oversized archives. */
export async function readTgz(
  bytes: Uint8Array,
  source = "chart archive",
  limits: Partial<ArchiveLimits> = {},
): Promise<ArchiveEntry[]> {
  const all = { ...DEFAULT_ARCHIVE_LIMITS, ...limits };
  // The tar stream is a little larger than its files (headers, padding): allow for that.
  const tar = await gunzipLimited(bytes, all.maxTotalBytes + all.maxFiles * 1024 + 1024, source);
  return readTar(tar, all, source);
}
