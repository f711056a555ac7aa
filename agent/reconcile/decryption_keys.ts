// spec.decryption (provider sops): the Decryptor built from the keys in the named Secret, read
// from the cluster as kustomize-controller does. Every key and every decrypted value is
// registered with the logger's SecretRegistry so no log line can carry them.
import type { Kustomization } from "../config/mod.ts";
import type { KubeClient } from "../../lib/kube/mod.ts";
import type { SecretRegistry } from "../../lib/log/mod.ts";
import type { Decryptor, Keyring } from "../../lib/sops/mod.ts";
import { readSecretData } from "../cluster/secrets.ts";

/** The decryption keys cannot be read or used: names the Secret and why. */
export class DecryptionKeysError extends Error {
  override readonly name = "DecryptionKeysError";
  constructor(readonly secret: string, readonly reason: string, override readonly cause?: unknown) {
    super(`spec.decryption.secretRef: ${secret}: ${reason}`);
  }
}

/**
 * The Decryptor of a Kustomization with spec.decryption (undefined without it, as in Flux).
 * `offlineKeys` (`skiff diff --decryption-key`) are used beside the Secret's keys, and instead of
 * them when the Secret cannot be read (a laptop without access to the cluster's Secrets).
 */
export async function decryptorFor(
  k: Kustomization,
  client: KubeClient,
  secrets: SecretRegistry,
  offlineKeys?: Keyring,
): Promise<Decryptor | undefined> {
  const decryption = k.spec.decryption;
  if (!decryption) return undefined;
  // Loaded here, on use: the SOPS code (and its key libraries) stays out of a run without it.
  const { Decryptor, Keyring } = await import("../../lib/sops/mod.ts");
  const ref = decryption.secretRef;
  if (!ref) return new Decryptor(offlineKeys ?? Keyring.empty(), { secrets });
  const namespace = k.metadata.namespace;
  const source = `Secret ${namespace}/${ref.name}`;
  let data: Record<string, string>;
  try {
    data = await readSecretData(client, namespace, ref.name, "spec.decryption.secretRef", secrets);
  } catch (e) {
    if (offlineKeys) return new Decryptor(offlineKeys, { secrets });
    throw e;
  }
  try {
    const keyring = await Keyring.fromSecretData(data, { source });
    return new Decryptor(offlineKeys ? keyring.merge(offlineKeys) : keyring, { secrets });
  } catch (e) {
    throw new DecryptionKeysError(source, e instanceof Error ? e.message : String(e), e);
  }
}
