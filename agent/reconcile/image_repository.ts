// ImageRepository: list the registry's tags (minus the exclusion list) and wake the
// ImagePolicies that choose from them when the list changed.
import type { ImageRepository } from "../config/mod.ts";
import { scanImageRepository } from "../../lib/images/mod.ts";
import {
  CredentialsError,
  credentialsFromDockerConfig,
  parseImageRef,
  RegistryError,
} from "../../lib/registry/mod.ts";
import { encodeSecretData, readSecretData, SecretNotFoundError } from "../cluster/secrets.ts";
import { objectKey } from "../status/mod.ts";
import type { Outcome, ReconcileEnv } from "./types.ts";

export { imageRepositoryReconciler } from "./image_entries.ts";

export async function reconcileImageRepository(
  repo: ImageRepository,
  env: ReconcileEnv,
): Promise<Outcome> {
  const ns = repo.metadata.namespace;
  const key = objectKey("ImageRepository", ns, repo.metadata.name);
  try {
    // The registry library reads a Secret's data as the API returns it (base64).
    const credentials = repo.spec.secretRef
      ? credentialsFromDockerConfig(
        encodeSecretData(
          await readSecretData(
            env.client,
            ns,
            repo.spec.secretRef.name,
            "spec.secretRef",
            env.logger.secrets,
          ),
        ),
        parseImageRef(repo.spec.image).registry,
      )
      : undefined;
    const scan = await scanImageRepository({
      image: repo.spec.image,
      exclusionList: repo.spec.exclusionList,
      insecure: repo.spec.insecure,
    }, { credentials });
    const fingerprint = await fingerprintOf(scan.tags);
    const changed = env.images.setTags(key, {
      canonicalImageName: scan.canonicalImageName,
      tags: scan.tags,
      fingerprint,
    });
    if (changed) {
      for (const policy of env.config.imagePolicies) {
        const ref = policy.spec.imageRepositoryRef;
        if (
          ref.name === repo.metadata.name && (ref.namespace ?? policy.metadata.namespace) === ns
        ) {
          env.trigger(
            objectKey("ImagePolicy", policy.metadata.namespace, policy.metadata.name),
            "new tags",
          );
        }
      }
    }
    return {
      ready: "True",
      reason: "Succeeded",
      message: `successful scan: found ${scan.tagCount} tags`,
      revision: fingerprint,
    };
  } catch (e) {
    if (
      e instanceof RegistryError || e instanceof SecretNotFoundError ||
      e instanceof CredentialsError
    ) {
      return { ready: "False", reason: "ReconciliationFailed", message: e.message };
    }
    throw e;
  }
}

async function fingerprintOf(tags: string[]): Promise<string> {
  const hash = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode([...tags].sort().join("\n"))),
  );
  return "sha256:" + [...hash.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
