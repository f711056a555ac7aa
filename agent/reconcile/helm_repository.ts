// HelmRepository (HTTP index): fetch index.yaml on its interval; a changed index is a new
// revision ("sha256:<hex>" of the index, as source-controller reports it), which wakes the
// HelmReleases charted from it so a newly published version is installed without waiting for
// their own interval. The charts themselves are resolved by the HelmRelease reconciler. OCI
// HelmRepositories have no index: like Flux, they are ready without fetching anything.
import type { HelmRepository } from "../config/mod.ts";
import { parseDurationMillis } from "../../lib/duration/mod.ts";
import { readSecretData, SecretNotFoundError } from "../cluster/secrets.ts";
import { objectKey } from "../status/mod.ts";
import { intervalSchedule } from "./interval_schedule.ts";
import type { Outcome, ReconcileEnv, Reconciler } from "./types.ts";

export const helmRepositoryReconciler: Reconciler<"HelmRepository"> = {
  kind: "HelmRepository",
  schedule: (repo) => intervalSchedule(repo.spec),
  reconcile: reconcileHelmRepository,
};

export async function reconcileHelmRepository(
  repo: HelmRepository,
  env: ReconcileEnv,
): Promise<Outcome> {
  const key = objectKey("HelmRepository", repo.metadata.namespace, repo.metadata.name);
  if (repo.spec.type === "oci") {
    return { ready: "True", reason: "Succeeded", message: "Helm repository is ready" };
  }
  const url = `${repo.spec.url.replace(/\/+$/, "")}/index.yaml`;
  const headers = new Headers();
  try {
    if (repo.spec.secretRef) {
      const data = await readSecretData(
        env.client,
        repo.metadata.namespace,
        repo.spec.secretRef.name,
        "spec.secretRef",
        env.logger.secrets,
      );
      headers.set("authorization", `Basic ${btoa(`${data.username}:${data.password}`)}`);
    }
  } catch (e) {
    if (!(e instanceof SecretNotFoundError)) throw e;
    env.artifacts.fail(key, e.message);
    return { ready: "False", reason: "AuthenticationFailed", message: e.message };
  }
  let body: Uint8Array;
  try {
    const response = await fetch(url, {
      headers,
      signal: AbortSignal.any([
        env.signal,
        AbortSignal.timeout(parseDurationMillis(repo.spec.timeout)),
      ]),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`GET ${url}: HTTP ${response.status}`);
    }
    body = new Uint8Array(await response.arrayBuffer());
  } catch (e) {
    const message = `failed to fetch Helm repository index: ${
      e instanceof Error ? e.message : String(e)
    }`;
    env.artifacts.fail(key, message);
    return { ready: "False", reason: "IndexationFailed", message };
  }
  const hash = await crypto.subtle.digest("SHA-256", body as Uint8Array<ArrayBuffer>);
  const revision = "sha256:" +
    [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, "0")).join("");
  const previous = env.artifacts.get(key);
  env.artifacts.set(key, {
    revision,
    digest: revision,
    // The index is not kept on disk: the HelmRelease reconciler resolves charts itself.
    dir: "",
    lastUpdateTime: previous?.revision === revision
      ? previous.lastUpdateTime
      : new Date().toISOString(),
    url: repo.spec.url,
    files: 1,
    size: body.length,
  });
  return {
    ready: "True",
    reason: "Succeeded",
    message: `stored artifact: revision '${revision}'`,
    revision,
  };
}
