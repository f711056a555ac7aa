// OCIRepository: pull the artifact at spec.ref from the registry and hand it to the consumers
// (Kustomizations, HelmReleases by chartRef). As with Git, a failed pull keeps the last good
// artifact in service, so nothing downstream prunes or reverts because a registry hiccuped or
// served a corrupt layer. lib/oci and lib/registry load on the first OCIRepository, so an
// agent without one never holds that code in memory.
import type { OCIRepository } from "../config/mod.ts";
import type { OciError } from "../../lib/oci/mod.ts";
import type { RegistryClientOptions, RegistryCredentials } from "../../lib/registry/mod.ts";
import { parseDurationMillis } from "../../lib/duration/mod.ts";
import { encodeSecretData, readSecretData, SecretNotFoundError } from "../cluster/secrets.ts";
import { objectKey } from "../status/mod.ts";
import { intervalSchedule } from "./interval_schedule.ts";
import { artifactStored, fetchFailed } from "./source_outcome.ts";
import type { Outcome, ReconcileEnv, Reconciler } from "./types.ts";

export const ociRepositoryReconciler: Reconciler<"OCIRepository"> = {
  kind: "OCIRepository",
  schedule: (repo) => intervalSchedule(repo.spec),
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
      const reason = e instanceof OciError ? reasonOf(e) : "AuthenticationFailed";
      return fetchFailed(env.artifacts, key, { message: e.message }, reason);
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
    return artifactStored(env.artifacts, key, artifact, "digest");
  } catch (e) {
    if (!(e instanceof OciError)) throw e;
    return fetchFailed(env.artifacts, key, e, reasonOf(e));
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
  const s = repo.spec;
  const secretData = (name: string, field: string) =>
    readSecretData(env.client, repo.metadata.namespace, name, field, env.logger.secrets);
  let credentials: RegistryCredentials | undefined;
  if (s.secretRef) {
    const data = await secretData(s.secretRef.name, "spec.secretRef");
    const { credentialsFromDockerConfig } = await registryLib();
    const host = (await ociLib()).parseRepositoryUrl(s.url).registry;
    // lib/registry reads a Secret's data as the API returns it (base64).
    credentials = credentialsFromDockerConfig(encodeSecretData(data), host);
  }
  const registry: RegistryClientOptions = {
    insecure: s.insecure,
    timeoutMs: parseDurationMillis(s.timeout),
    userAgent: "skiff",
  };
  if (s.certSecretRef) {
    const data = await secretData(s.certSecretRef.name, "spec.certSecretRef");
    const ca = data["ca.crt"] ?? data["caFile"];
    if (ca) registry.caCerts = [ca];
    const cert = data["tls.crt"] ?? data["certFile"];
    const key = data["tls.key"] ?? data["keyFile"];
    if (cert && key) registry.clientCert = { cert, key };
  }
  return { credentials, registry };
}
