/** A chart could not be resolved or fetched from a Helm repository. */
export class RepoError extends Error {
  override readonly name = "RepoError";
  constructor(
    /** The repository URL. */
    readonly repo: string,
    readonly reason: string,
    override readonly cause?: unknown,
  ) {
    super(`${repo}: ${reason}`);
  }
}
