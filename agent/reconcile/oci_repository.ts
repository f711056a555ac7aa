// OCIRepository: pull the artifact at spec.ref from the registry and hand it to the consumers
// (Kustomizations, HelmReleases by chartRef). As with Git, a failed pull keeps the last good
// artifact in service, so nothing downstream prunes or reverts because a registry hiccuped or
// served a corrupt layer. lib/oci and lib/registry load on the first OCIRepository, so an
// agent without one never holds that code in memory.
import type { OCIRepository } from "../config/mod.ts";
import type { OciError } from "../../lib/oci/mod.ts";
import type { RegistryClientOptions, RegistryCredentials } from "../../lib/registry/mod.ts";
import { parseDurationMillis } from "../../lib/duration/mod.ts";
import { readSecretData, SecretNotFoundError } from "../cluster/secrets.ts";
import { objectKey } from "../status/mod.ts";
import type { Outcome, ReconcileEnv, Reconciler } from "./types.ts";

export const ociRepositoryReconciler: Reconciler<"OCIRepository"> = {
  kind: "OCIRepository",
  schedule: (repo) => ({
    intervalMs: parseDurationMillis(repo.spec.interval),
    retryIntervalMs: parseDurationMillis(repo.spec.interval),
    suspended: repo.spec.suspend,
  }),
  reconcile: reconcileOciRepository,
};

const ociLib = () => import("../../lib/oci/mod.ts");
const registryLib = () => import("../../lib/registry/mod.ts");

export async function reconcileOciRepository(
  repo: OCIRepository,
  env: ReconcileEnv,
): Promise<Outcome> {
  const key = objectKey("OCIRepository", repo.metadata.namespace, repo.metadata.name);
  const { OciError, pullOciArtifact } = await ociLib();
  const { CredentialsError } = await registryLib();
  let access: { credentials?: RegistryCredentials; registry: RegistryClientOptions };
  try {
    access = await registryAccessOf(repo, env);
  } catch (e) {
    if (
      e instanceof SecretNotFoundError || e instanceof CredentialsError || e instanceof OciError
    ) {
      env.artifacts.fail(key, e.message);
      return {
        ready: "False",
        reason: e instanceof OciError ? reasonOf(e) : "AuthenticationFailed",
        message: e.message,
        revision: env.artifacts.get(key)?.revision,
      };
    }
    throw e;
  }
  try {
    const artifact = await pullOciArtifact(
      {
        url: repo.spec.url,
        ref: repo.spec.ref,
        layerSelector: repo.spec.layerSelector,
        ignore: repo.spec.ignore,
        credentials: access.credentials,
      },
      env.cacheDir,
      { key, registry: access.registry },
    );
    env.artifacts.set(key, artifact);
    return {
      ready: "True",
      reason: "Succeeded",
      message: `stored artifact for digest '${artifact.revision}'`,
      revision: artifact.revision,
    };
  } catch (e) {
    if (!(e instanceof OciError)) throw e;
    // The last good artifact (e.g. from before a restart) keeps consumers working.
    if (e.lastArtifact && !env.artifacts.get(key)) env.artifacts.set(key, e.lastArtifact);
    env.artifacts.fail(key, e.message);
    return {
      ready: "False",
      reason: reasonOf(e),
      message: e.message,
      revision: env.artifacts.get(key)?.revision,
    };
  }
}

/** Flux's condition reasons for a failed pull. */
function reasonOf(e: OciError): string {
  switch (e.reason) {
    case "Unauthorized":
      return "AuthenticationFailed";
    case "Registry":
      return "OCIArtifactPullFailed";
    case "Archive":
    case "LayerNotFound":
    case "UnsupportedManifest":
      return "OCIArtifactLayerOperationFailed";
    case "InvalidUrl":
      return "URLInvalid";
    case "NoMatchingTag":
      return "ReadOperationFailed";
    case "Storage":
      return "StorageOperationFailed";
  }
}

/** Credentials (spec.secretRef) and TLS settings (spec.certSecretRef, insecure, timeout). */
async function registryAccessOf(
  repo: OCIRepository,
  env: ReconcileEnv,
): Promise<{ credentials?: RegistryCredentials; registry: RegistryClientOptions }> {
  const ns = repo.metadata.namespace;
  const s = repo.spec;
  let credentials: RegistryCredentials | undefined;
  if (s.secretRef) {
    const data = await readSecretData(
      env.client,
      ns,
      s.secretRef.name,
      "spec.secretRef",
      env.logger.secrets,
    );
    const { credentialsFromDockerConfig } = await registryLib();
    const host = (await ociLib()).parseRepositoryUrl(s.url).registry;
    credentials = credentialsFromDockerConfig(base64Values(data), host);
  }
  const registry: RegistryClientOptions = {
    insecure: s.insecure,
    timeoutMs: parseDurationMillis(s.timeout),
    userAgent: "skiff",
  };
  if (s.certSecretRef) {
    const data = await readSecretData(
      env.client,
      ns,
      s.certSecretRef.name,
      "spec.certSecretRef",
      env.logger.secrets,
    );
    const ca = data["ca.crt"] ?? data["caFile"];
    if (ca) registry.caCerts = [ca];
    const cert = data["tls.crt"] ?? data["certFile"];
    const key = data["tls.key"] ?? data["keyFile"];
    if (cert && key) registry.clientCert = { cert, key };
  }
  return { credentials, registry };
}

/** lib/registry reads a Secret's data as the API returns it (base64). */
function base64Values(data: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    out[k] = btoa(String.fromCharCode(...new TextEncoder().encode(v)));
  }
  return out;
}
