/** Bounds on what one archive may unpack to; an archive beyond them is refused, not truncated. */
export interface ArchiveLimits {
  /** Total bytes after decompression (Helm: 100 MiB). */
  maxTotalBytes: number;
  /** Bytes of any one file (Helm: 5 MiB). */
  maxFileBytes: number;
  /** Number of regular files. */
  maxFiles: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxTotalBytes: 100 * 1024 * 1024,
  maxFileBytes: 5 * 1024 * 1024,
  maxFiles: 10_000,
};
