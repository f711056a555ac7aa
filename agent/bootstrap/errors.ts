// Typed failures of bootstrap and uninstall. Each message says what happened and what to do, so
// the CLI prints it as is; callers branch on the class and its fields, never on the text.

/** The options themselves are wrong (a bad path, credentials in the URL, a missing variable). */
export class BootstrapOptionError extends Error {
  override readonly name = "BootstrapOptionError";
  constructor(readonly option: string, reason: string) {
    super(`${option}: ${reason}`);
  }
}

/** `<path>/skiff-system` (or `<path>`) already holds files skiff did not write. */
export class PathConflictError extends Error {
  override readonly name = "PathConflictError";
  constructor(readonly path: string, readonly files: string[]) {
    super(
      `${path} already holds files skiff bootstrap did not write (${files.join(", ")}): ` +
        "choose another --path, or move those files away and run bootstrap again",
    );
  }
}

/** Cloning or pushing failed; `reason` is lib/git's (AuthFailed, Unreachable, ...). */
export class RepositoryError extends Error {
  override readonly name = "RepositoryError";
  constructor(readonly url: string, readonly reason: string, message: string, cause?: unknown) {
    super(message, { cause });
  }
}

/** The current Kubernetes user may not create what bootstrap installs. */
export class PermissionError extends Error {
  override readonly name = "PermissionError";
  constructor(readonly missing: string[]) {
    super(
      `the current Kubernetes user may not ${missing.join(", ")}: bootstrap installs ` +
        "cluster-wide RBAC and needs cluster-admin rights; run it with an administrator's " +
        "kubeconfig (--kubeconfig / --context)",
    );
  }
}

/** The agent did not become ready, or did not report a reconcile, in time. */
export class AgentNotReadyError extends Error {
  override readonly name = "AgentNotReadyError";
  constructor(readonly namespace: string, what: string) {
    super(
      `${what}; look at the agent with \`kubectl -n ${namespace} describe deployment skiff\` ` +
        `and \`kubectl -n ${namespace} logs deployment/skiff\`, then run bootstrap again ` +
        "(it is idempotent)",
    );
  }
}
