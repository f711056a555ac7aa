// Kustomization (kustomize.toolkit.fluxcd.io): render a path of a source with Kustomize (or
// plain YAML), substitute variables, apply with server-side apply, prune, wait for health.
import {
  array,
  boolean,
  duration,
  enumOf,
  mapOf,
  namespaceName,
  object,
  objectName,
  type ObjectOf,
  string,
} from "../schema/mod.ts";
import { current, type KindDefinition } from "./kind.ts";
import {
  commonMetadata,
  kubeConfigRef,
  kustomizeImages,
  kustomizePatches,
  kustomizeSelector,
  refNamespace,
  secretRef,
  sourceRef,
  suspend,
} from "./references.ts";

const v1 = object({
  commonMetadata: commonMetadata(),
  dependsOn: array(object({
    name: objectName().doc("name of the Kustomization"),
    namespace: refNamespace(),
    readyExpr: string().optional().doc("CEL expression deciding readiness; refused (no CEL)"),
  })).optional().doc("Kustomizations that must be ready before this one is applied"),
  decryption: object({
    provider: enumOf("sops").doc("decryption engine"),
    serviceAccountName: string().optional().doc("service account for cloud KMS; refused"),
    secretRef: secretRef("Secret with the age or OpenPGP private keys").optional(),
  }).optional().doc("decrypt SOPS-encrypted Secrets before applying"),
  interval: duration().doc("how often the Kustomization is applied (and drift corrected)"),
  retryInterval: duration().defaultFromSiblings((s) => s.interval as string, "the interval")
    .doc("how soon a failed apply is retried"),
  kubeConfig: kubeConfigRef().doc("apply to a remote cluster; refused: skiff applies to its own"),
  path: string().default("./").doc("path in the source to render (default: its root)"),
  postBuild: object({
    substitute: mapOf(string()).optional().doc("variables substituted as ${name}"),
    substituteFrom: array(object({
      kind: enumOf("Secret", "ConfigMap").doc("kind of the object holding variables"),
      name: string({ minLength: 1, maxLength: 253 }).doc("its name, in this namespace"),
      optional: boolean().default(false).doc("tolerate its absence"),
    })).optional().doc("ConfigMaps and Secrets whose keys are variables"),
  }).optional().doc("variable substitution after rendering"),
  prune: boolean().default(false).doc(
    "delete objects that were applied before and are no longer rendered",
  ),
  deletionPolicy: enumOf("MirrorPrune", "Delete", "WaitForTermination", "Orphan").default(
    "MirrorPrune",
  ).doc("what happens to applied objects when the Kustomization is deleted"),
  healthChecks: array(object({
    apiVersion: string().optional().doc("API version"),
    kind: string().doc("kind"),
    name: string().doc("name"),
    namespace: string().optional().doc("namespace"),
  })).optional().doc("objects whose health is checked after applying"),
  namePrefix: string({ minLength: 1, maxLength: 200 }).optional().doc(
    "prefix added to every object's name",
  ),
  nameSuffix: string({ minLength: 1, maxLength: 200 }).optional().doc(
    "suffix added to every object's name",
  ),
  patches: kustomizePatches(),
  images: kustomizeImages(),
  serviceAccountName: string().optional().doc("service account impersonated when applying"),
  sourceRef: sourceRef(["GitRepository", "OCIRepository"]).doc("the source to render"),
  suspend: suspend(),
  targetNamespace: namespaceName().optional().doc("namespace set on every namespaced object"),
  timeout: duration().defaultFromSiblings((s) => s.interval as string, "the interval").doc(
    "timeout of apply and health checks",
  ),
  force: boolean().default(false).doc("recreate objects whose immutable fields changed"),
  wait: boolean().default(false).doc("wait for every applied object to be ready"),
  components: array(string()).optional().doc("Kustomize components added to the build"),
  ignoreMissingComponents: boolean().default(false).doc("skip components that do not exist"),
  healthCheckExprs: array(object({
    apiVersion: string().doc("API version of the custom resource"),
    kind: string().doc("its kind"),
    current: string().doc("CEL expression: ready"),
    inProgress: string().optional().doc("CEL expression: still progressing"),
    failed: string().optional().doc("CEL expression: failed"),
  })).optional().doc("CEL health rules for custom resources; refused (no CEL)"),
  driftIgnoreRules: array(object({
    paths: array(string()).doc("JSON pointers ignored"),
    target: kustomizeSelector().optional().doc("objects the rule applies to"),
  })).optional().doc("fields ignored when detecting drift"),
}).refine((spec, path, ctx) => {
  // Accepting these and doing something else would apply differently from what was asked.
  const refuse = (field: string, why: string) => ctx.report(`${path}.${field}`, why);
  if (spec.kubeConfig !== undefined) {
    refuse(
      "kubeConfig",
      "remote clusters are not supported by skiff; run a skiff agent in that cluster instead",
    );
  }
  if (spec.healthCheckExprs !== undefined) {
    refuse(
      "healthCheckExprs",
      "CEL health checks are not supported by skiff (no CEL evaluator); use healthChecks",
    );
  }
  spec.dependsOn?.forEach((d, i) => {
    if (d.readyExpr !== undefined) {
      refuse(
        `dependsOn[${i}].readyExpr`,
        "CEL readiness expressions are not supported by skiff (no CEL evaluator); a " +
          "dependency is ready when its Ready condition is True at its latest revision",
      );
    }
  });
  if (spec.decryption?.serviceAccountName !== undefined) {
    refuse(
      "decryption.serviceAccountName",
      "cloud KMS through a service account is not supported by skiff; put age or OpenPGP keys " +
        "in decryption.secretRef",
    );
  }
});

export type KustomizationSpec = ObjectOf<typeof v1.shape>;

export const kustomizationKind: KindDefinition<"Kustomization", KustomizationSpec> = {
  kind: "Kustomization",
  description:
    "Renders a path of a source with Kustomize and keeps the cluster in sync with it (apply, prune, health).",
  specRequired: true,
  versions: [current("kustomize.toolkit.fluxcd.io/v1", v1)],
};
