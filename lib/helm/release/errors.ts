/** A stored release cannot be read: names the Secret and what was wrong with it. */
export class ReleaseDecodeError extends Error {
  override readonly name = "ReleaseDecodeError";
  constructor(readonly source: string, readonly reason: string, override readonly cause?: unknown) {
    super(`${source}: cannot decode the Helm release: ${reason}`);
  }
}

/** A release or revision that was asked for does not exist in storage. */
export class ReleaseNotFoundError extends Error {
  override readonly name = "ReleaseNotFoundError";
  constructor(readonly release: string, readonly namespace: string, readonly version?: number) {
    super(
      version === undefined
        ? `release "${release}" not found in namespace ${namespace}`
        : `release "${release}" revision ${version} not found in namespace ${namespace}`,
    );
  }
}
