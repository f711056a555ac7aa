// Chart archives (.tgz) are read by lib/archive's hardened reader, with Helm's limits.
import {
  type ArchiveEntry,
  type ArchiveLimits,
  readTgz as readArchive,
} from "../../archive/mod.ts";

export {
  type ArchiveEntry,
  ArchiveError,
  type ArchiveLimits,
  checkEntryName,
  DEFAULT_ARCHIVE_LIMITS,
  gunzipLimited,
  isGzip,
} from "../../archive/mod.ts";

/** Unpacks a chart archive into its regular files, refusing unsafe or oversized archives. */
export function readTgz(
  bytes: Uint8Array,
  source = "chart archive",
  limits: Partial<ArchiveLimits> = {},
): Promise<ArchiveEntry[]> {
  return readArchive(bytes, source, limits, "the limit for one chart");
}
