/** A chart archive was refused: unsafe, too large, or not a gzipped tar at all. */
export class ArchiveError extends Error {
  override readonly name = "ArchiveError";
  constructor(
    /** What the archive is called in messages (a file name or "chart archive"). */
    readonly source: string,
    /** The entry inside the archive at fault, when there is one. */
    readonly entry: string | undefined,
    readonly reason: string,
  ) {
    super(`${source}${entry !== undefined ? `: ${entry}` : ""}: ${reason}`);
  }
}
