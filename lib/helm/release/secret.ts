// A release as the Kubernetes Secret Helm's "secret" storage driver writes:
// `sh.helm.release.v1.<name>.v<version>`, type `helm.sh/release.v1`, labels name, owner=helm,
// status, version (and createdAt/modifiedAt), data.release = base64(gzip(JSON)). Secret data is
// base64 on the wire again, so the body is base64 twice there, exactly as with Helm.
import type { KubeObject } from "../../kube/mod.ts";
import { base64ToBytes, bytesToBase64 } from "./base64.ts";
import { decodeRelease, encodeRelease } from "./codec.ts";
import { ReleaseDecodeError } from "./errors.ts";
import type { Release } from "./types.ts";

export const RELEASE_SECRET_TYPE = "helm.sh/release.v1";

export function releaseSecretName(name: string, version: number): string {
  return `sh.helm.release.v1.${name}.v${version}`;
}

/** The labels Helm selects release Secrets by. */
export function releaseLabels(release: Release): Record<string, string> {
  return {
    name: release.name,
    owner: "helm",
    status: release.info.status ?? "unknown",
    version: String(release.version),
  };
}

export async function releaseToSecret(
  release: Release,
  storageNamespace: string,
  stamp: { createdAt?: Date; modifiedAt?: Date } = {},
): Promise<KubeObject> {
  const labels = releaseLabels(release);
  // Helm records seconds since the epoch: createdAt on create, modifiedAt on each update.
  if (stamp.createdAt) labels.createdAt = String(Math.floor(stamp.createdAt.getTime() / 1000));
  if (stamp.modifiedAt) labels.modifiedAt = String(Math.floor(stamp.modifiedAt.getTime() / 1000));
  const body = await encodeRelease(release);
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: releaseSecretName(release.name, release.version),
      namespace: storageNamespace,
      labels,
    },
    type: RELEASE_SECRET_TYPE,
    data: { release: bytesToBase64(new TextEncoder().encode(body)) },
  };
}

export async function releaseFromSecret(secret: KubeObject): Promise<Release> {
  const where = `Secret ${secret.metadata.namespace ?? ""}/${secret.metadata.name ?? ""}`;
  const data = secret.data as Record<string, string> | undefined;
  const wire = data?.release;
  if (typeof wire !== "string") throw new ReleaseDecodeError(where, "data.release is missing");
  let body: string;
  try {
    body = new TextDecoder().decode(base64ToBytes(wire));
  } catch (e) {
    throw new ReleaseDecodeError(where, "data.release is not base64", e);
  }
  return await decodeRelease(body, where);
}
