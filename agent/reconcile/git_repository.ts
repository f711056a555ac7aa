// GitRepository: fetch the repository at its ref into an artifact and hand it to the consumers.
// A failed fetch keeps the last good artifact in service, so nothing downstream prunes or
// reverts because a Git server hiccuped.
import type { GitRepository } from "../config/mod.ts";
import { fetchGitArtifact, GitFetchError, type GitFetchSpec } from "../../lib/git/mod.ts";
import { parseDurationMillis } from "../../lib/duration/mod.ts";
import { readSecretData, SecretNotFoundError } from "../cluster/secrets.ts";
import { objectKey } from "../status/mod.ts";
import { intervalSchedule } from "./interval_schedule.ts";
import { artifactStored, fetchFailed } from "./source_outcome.ts";
import type { Outcome, ReconcileEnv, Reconciler } from "./types.ts";

export const gitRepositoryReconciler: Reconciler<"GitRepository"> = {
  kind: "GitRepository",
  schedule: (repo) => intervalSchedule(repo.spec),
  // Included repositories must have their artifact first.
  dependencies: (repo) =>
    (repo.spec.include ?? []).map((i) =>
      objectKey("GitRepository", repo.metadata.namespace, i.repository.name)
    ),
  reconcile: reconcileGitRepository,
};

export async function reconcileGitRepository(
  repo: GitRepository,
  env: ReconcileEnv,
): Promise<Outcome> {
  const key = objectKey("GitRepository", repo.metadata.namespace, repo.metadata.name);
  let spec: GitFetchSpec;
  try {
    spec = await fetchSpecOf(repo, env);
  } catch (e) {
    if (e instanceof SecretNotFoundError) {
      env.artifacts.fail(key, e.message);
      return { ready: "False", reason: "AuthenticationFailed", message: e.message };
    }
    if (e instanceof IncludeNotReadyError) {
      return {
        ready: "False",
        reason: "IncludeUnavailable",
        message: e.message,
        requeueAfterMs: 5_000,
      };
    }
    throw e;
  }
  try {
    const artifact = await fetchGitArtifact(spec, env.cacheDir, { key, logger: env.logger });
    return artifactStored(env.artifacts, key, artifact, "revision");
  } catch (e) {
    if (!(e instanceof GitFetchError)) throw e;
    const reason = e.reason === "AuthFailed" ? "AuthenticationFailed" : "GitOperationFailed";
    return fetchFailed(env.artifacts, key, e, reason);
  }
}

class IncludeNotReadyError extends Error {
  override readonly name = "IncludeNotReadyError";
}

async function fetchSpecOf(repo: GitRepository, env: ReconcileEnv): Promise<GitFetchSpec> {
  const ns = repo.metadata.namespace;
  const s = repo.spec;
  const secretData = (name: string, field: string) =>
    readSecretData(env.client, ns, name, field, env.logger.secrets);
  const secret = s.secretRef ? await secretData(s.secretRef.name, "spec.secretRef") : undefined;
  const proxySecret = s.proxySecretRef
    ? await secretData(s.proxySecretRef.name, "spec.proxySecretRef")
    : undefined;
  const verify = s.verify
    ? {
      mode: s.verify.mode,
      publicKeys: Object.values(await secretData(s.verify.secretRef.name, "spec.verify.secretRef")),
    }
    : undefined;
  const include = (s.include ?? []).map((i) => {
    const artifact = env.artifacts.get(objectKey("GitRepository", ns, i.repository.name));
    if (!artifact) {
      throw new IncludeNotReadyError(
        `spec.include: GitRepository ${ns}/${i.repository.name} has no artifact yet`,
      );
    }
    return { artifact, fromPath: i.fromPath, toPath: i.toPath ?? i.repository.name };
  });
  return {
    url: s.url,
    ref: s.ref,
    secret,
    proxySecret,
    ignore: s.ignore,
    include,
    timeout: parseDurationMillis(s.timeout),
    verify,
    recurseSubmodules: s.recurseSubmodules,
  };
}
