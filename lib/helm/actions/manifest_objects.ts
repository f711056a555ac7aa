// From a release manifest (the `---\n# Source: ...` text Helm stores) to the objects it names,
// and the ownership marks Helm puts on every object it creates, so `helm upgrade` accepts them.
import {
  KubeApiError,
  type KubeClient,
  type KubeObject,
  UnknownKindError,
} from "../../kube/mod.ts";
import { parseAll } from "../../yaml/mod.ts";

export const RESOURCE_POLICY_ANNOTATION = "helm.sh/resource-policy";

/** Parses a manifest stream; empty documents are skipped as Helm skips them. */
export function manifestObjects(manifest: string, source: string): KubeObject[] {
  return parseAll(manifest, { file: source }).filter((d): d is KubeObject =>
    d !== null && typeof d === "object" && !Array.isArray(d) &&
    typeof (d as KubeObject).kind === "string"
  ).map((o) => ({ ...o, metadata: { ...(o.metadata ?? {}) } }));
}

/**
 * Helm 3.2+ marks what it installs with `app.kubernetes.io/managed-by: Helm` and the
 * `meta.helm.sh/release-name|namespace` annotations; it refuses to adopt objects without them.
 */
export function markOwnership(
  objects: KubeObject[],
  release: string,
  namespace: string,
  extraLabels: Record<string, string> = {},
): KubeObject[] {
  return objects.map((o) => ({
    ...o,
    metadata: {
      ...o.metadata,
      labels: { ...o.metadata.labels, ...extraLabels, "app.kubernetes.io/managed-by": "Helm" },
      annotations: {
        ...o.metadata.annotations,
        "meta.helm.sh/release-name": release,
        "meta.helm.sh/release-namespace": namespace,
      },
    },
  }));
}

/** Objects annotated `helm.sh/resource-policy: keep` survive upgrades and uninstall. */
export function isKept(o: KubeObject): boolean {
  return o.metadata.annotations?.[RESOURCE_POLICY_ANNOTATION] === "keep";
}

/** Fills the namespace of namespaced objects the way the apply will, using discovery. */
export async function withNamespaces(
  client: KubeClient,
  objects: KubeObject[],
  namespace: string,
): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const o of objects) {
    let namespaced = true;
    try {
      namespaced = (await client.resourceFor(o.apiVersion, o.kind)).namespaced;
    } catch (e) {
      // A kind no longer served (its CRD is gone) cannot be deleted anyway; keep it namespaced.
      if (!(e instanceof UnknownKindError || e instanceof KubeApiError)) throw e;
    }
    const ns = namespaced ? (o.metadata.namespace || namespace) : undefined;
    out.push({ ...o, metadata: { ...o.metadata, namespace: ns } });
  }
  return out;
}
