// The reference shapes Flux's APIs share: local Secret references, namespaced object
// references (whose namespace defaults to the referring object's), source references, and
// the ACL and selector shapes several kinds embed.
import {
  array,
  boolean,
  enumOf,
  mapOf,
  namespaceName,
  object,
  objectName,
  string,
} from "../schema/mod.ts";

/** `{name}` of a Secret (or ConfigMap) in the object's own namespace. */
export const localRef = (what: string) =>
  object({ name: objectName().doc(`name of the ${what}`) }).doc(
    `reference to a ${what} in the object's namespace`,
  );

export const secretRef = (purpose: string) => localRef("Secret").doc(purpose);

/** A namespace that defaults to the referring object's namespace. */
export const refNamespace = () =>
  namespaceName().defaultFromSiblings((_, ctx) => ctx.namespace, "the object's namespace")
    .doc("namespace of the referent");

/** `{name, namespace}` pointing at an object of a kind fixed by the field. */
export const namespacedRef = (kind: string) =>
  object({
    name: objectName().doc(`name of the ${kind}`),
    namespace: refNamespace(),
  }).doc(`reference to a ${kind}`);

/** `{apiVersion, kind, name, namespace}` pointing at one of `kinds`. */
export const sourceRef = <const K extends string>(kinds: K[]) =>
  object({
    apiVersion: string().optional().doc("API version of the referent"),
    kind: enumOf(...kinds).doc("kind of the referent"),
    name: objectName().doc("name of the referent"),
    namespace: refNamespace(),
  });

export const labelSelector = () =>
  object({
    matchLabels: mapOf(string()).optional().doc("labels an object must carry"),
    matchExpressions: array(object({
      key: string().doc("label key"),
      operator: enumOf("In", "NotIn", "Exists", "DoesNotExist").doc("how the values apply"),
      values: array(string()).optional().doc("values for In and NotIn"),
    })).optional().doc("set-based label requirements"),
  });

/** Flux's ACL for cross-namespace references (kept for compatibility). */
export const accessFrom = () =>
  object({
    namespaceSelectors: array(object({
      matchLabels: mapOf(string()).optional().doc("labels of the namespaces allowed"),
    })).doc("namespaces allowed to refer to this object"),
  }).optional().doc("ACL of namespaces allowed to refer to this object (Flux compatibility)");

export const commonMetadata = () =>
  object({
    annotations: mapOf(string()).optional().doc("annotations added to every object"),
    labels: mapOf(string()).optional().doc("labels added to every object"),
  }).optional().doc("labels and annotations applied to every rendered object");

/** A remote cluster's kubeconfig, read from a Secret key. */
export const kubeConfigRef = () =>
  object({
    secretRef: object({
      name: objectName().doc("name of the Secret"),
      key: string().optional().doc('key holding the kubeconfig (default "value" or "value.yaml")'),
    }).optional().doc("Secret holding a kubeconfig"),
    configMapRef: object({ name: objectName().doc("name of the ConfigMap") }).optional()
      .doc("ConfigMap with provider settings for a cloud cluster"),
  }).optional().doc("apply to a remote cluster through this kubeconfig");

/** Kustomize's object selector, used by patches and drift ignore rules. */
export const kustomizeSelector = () =>
  object({
    group: string().optional().doc("API group"),
    version: string().optional().doc("API version"),
    kind: string().optional().doc("kind"),
    name: string().optional().doc("name (a regexp)"),
    namespace: string().optional().doc("namespace (a regexp)"),
    annotationSelector: string().optional().doc("annotation selector"),
    labelSelector: string().optional().doc("label selector"),
  });

export const kustomizePatches = () =>
  array(object({
    patch: string().doc("strategic merge or JSON 6902 patch, as YAML or JSON text"),
    target: kustomizeSelector().optional().doc("objects the patch applies to"),
  })).optional().doc("patches applied to the rendered objects");

export const kustomizeImages = () =>
  array(object({
    name: string().doc("image name to match"),
    newName: string().optional().doc("replacement name"),
    newTag: string().optional().doc("replacement tag"),
    digest: string().optional().doc("replacement digest (takes precedence over newTag)"),
  })).optional().doc("image overrides applied to the rendered objects");

export const suspend = () =>
  boolean().default(false).doc("stop reconciling this object until set back to false");
