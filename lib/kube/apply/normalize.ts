// Preparing rendered objects for the cluster: the namespace of namespaced kinds defaults to the
// target namespace, a namespaced kind without any namespace and a cluster-scoped kind with one
// are refused, the owner's labels are set, and duplicates are caught before anything is sent.
import type { Discovery } from "../discovery/mod.ts";
import { UnknownKindError } from "../errors.ts";
import {
  cloneObject,
  describeObject,
  idOf,
  type KubeObject,
  parseApiVersion,
  refKey,
  refOf,
} from "../types.ts";
import { InvalidObjectError, type ObjectFailure } from "./changeset.ts";

export interface NormalizeOptions {
  /** Namespace for namespaced objects that have none (a Kustomization's targetNamespace). */
  defaultNamespace?: string;
  /** Labels set on every object, marking who applied it. */
  ownerLabels?: Record<string, string>;
}

export interface Normalized {
  objects: KubeObject[];
  /** Objects that cannot be applied as they are, each with its error. */
  failures: ObjectFailure[];
}

export async function normalizeObjects(
  discovery: Discovery,
  input: KubeObject[],
  options: NormalizeOptions,
): Promise<Normalized> {
  const crdScopes = scopesFromCrds(input);
  const objects: KubeObject[] = [];
  const failures: ObjectFailure[] = [];
  const seen = new Map<string, string>();
  for (const [index, original] of input.entries()) {
    if (typeof original?.apiVersion !== "string" || typeof original?.kind !== "string") {
      const error = new InvalidObjectError(
        `object ${index + 1}`,
        "apiVersion/kind",
        "missing: not a Kubernetes object",
      );
      failures.push({
        id: { apiVersion: "", kind: "", name: `#${index + 1}` },
        reason: error.message,
        error,
      });
      continue;
    }
    const obj = cloneObject(original);
    obj.metadata = obj.metadata ?? {};
    const label = describeObject(obj);
    const fail = (error: Error) => failures.push({ id: idOf(obj), reason: error.message, error });
    if (!obj.metadata.name) {
      fail(
        new InvalidObjectError(
          label,
          "metadata.name",
          "missing (generateName is not supported in GitOps)",
        ),
      );
      continue;
    }
    const namespaced = await scopeOf(discovery, obj, crdScopes).catch((e) => e as UnknownKindError);
    if (namespaced instanceof UnknownKindError) {
      fail(namespaced);
      continue;
    }
    if (namespaced) {
      obj.metadata.namespace ||= options.defaultNamespace;
      if (!obj.metadata.namespace) {
        fail(
          new InvalidObjectError(
            label,
            "metadata.namespace",
            `${obj.kind} is namespaced, but no namespace is set and there is no target namespace`,
          ),
        );
        continue;
      }
    } else if (obj.metadata.namespace) {
      fail(
        new InvalidObjectError(
          label,
          "metadata.namespace",
          `${obj.kind} is cluster-scoped and cannot have a namespace ('${obj.metadata.namespace}')`,
        ),
      );
      continue;
    }
    if (options.ownerLabels && Object.keys(options.ownerLabels).length > 0) {
      obj.metadata.labels = { ...obj.metadata.labels, ...options.ownerLabels };
    }
    const key = refKey(refOf(obj));
    const previous = seen.get(key);
    if (previous !== undefined) {
      fail(
        new InvalidObjectError(
          describeObject(obj),
          "metadata.name",
          "appears more than once in the set",
        ),
      );
      continue;
    }
    seen.set(key, label);
    objects.push(obj);
  }
  return { objects, failures };
}

/** Whether the kind is namespaced: from discovery, or from a CRD in the same set. */
async function scopeOf(
  discovery: Discovery,
  obj: KubeObject,
  crdScopes: Map<string, boolean>,
): Promise<boolean> {
  const { group } = parseApiVersion(obj.apiVersion);
  const fromSet = crdScopes.get(`${group}/${obj.kind}`);
  try {
    return (await discovery.resourceFor(obj.apiVersion, obj.kind)).namespaced;
  } catch (e) {
    if (e instanceof UnknownKindError && fromSet !== undefined) return fromSet;
    throw e;
  }
}

function scopesFromCrds(objects: KubeObject[]): Map<string, boolean> {
  const scopes = new Map<string, boolean>();
  for (const o of objects) {
    if (
      o.kind !== "CustomResourceDefinition" || !o.apiVersion.startsWith("apiextensions.k8s.io/")
    ) continue;
    const spec = (o.spec ?? {}) as { group?: string; scope?: string; names?: { kind?: string } };
    if (spec.group && spec.names?.kind) {
      scopes.set(`${spec.group}/${spec.names.kind}`, spec.scope !== "Cluster");
    }
  }
  return scopes;
}
