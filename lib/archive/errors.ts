/** An archive (a chart, an OCI layer) was refused: unsafe, too large, or not a gzipped tar. */
export class ArchiveError extends Error {
  override readonly name = "ArchiveError";
  constructor(
    /** What the archive is called in messages (a file name, "chart archive", an OCI reference). */
    readonly source: string,
    /** The entry inside the archive at fault, when there is one. */
    readonly entry: string | undefined,
    readonly reason: string,
  ) {
    super(`${source}${entry !== undefined ? `: ${entry}` : ""}: ${reason}`);
  }
}
