// Which fields each built-in transformer touches (kustomize's default "field specs"), and the
// merging of user `configurations:` files and CRD-derived entries into them. The facts below are
// kustomize v5's defaults, written here in a compact form: "Kind[.group][@version] path [+]" where
// "+" means the field is created when missing.
import type { FieldSpec } from "./kustomization.ts";
import { type Gvk, isMap } from "./resource.ts";

export interface NameBackReference {
  /** The kind referred to (its metadata/name is the source of the new name). */
  target: Partial<Gvk>;
  /** The fields of other kinds that hold that name. */
  fieldSpecs: FieldSpec[];
}

export interface TransformerConfig {
  namePrefix: FieldSpec[];
  nameSuffix: FieldSpec[];
  namespace: FieldSpec[];
  commonLabels: FieldSpec[];
  templateLabels: FieldSpec[];
  commonAnnotations: FieldSpec[];
  nameReference: NameBackReference[];
  varReference: FieldSpec[];
  images: FieldSpec[];
  replicas: FieldSpec[];
}

function spec(line: string): FieldSpec {
  const parts = line.trim().split(/\s+/);
  const create = parts[parts.length - 1] === "+";
  if (create) parts.pop();
  if (parts.length === 1) return { path: parts[0], create };
  const [selector, path] = parts;
  const [kindGroup, version] = selector.split("@");
  const dot = kindGroup.indexOf(".");
  const kind = dot < 0 ? kindGroup : kindGroup.slice(0, dot);
  const group = dot < 0 ? undefined : kindGroup.slice(dot + 1);
  const fs: FieldSpec = { path, create };
  if (kind !== "*") fs.kind = kind;
  if (group) fs.group = group;
  if (version) fs.version = version;
  return fs;
}

const specs = (lines: string) =>
  lines.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#")).map(spec);

const METADATA_LABELS = `
  metadata/labels +
  ReplicationController@v1 spec/template/metadata/labels +
  Deployment spec/template/metadata/labels +
  ReplicaSet spec/template/metadata/labels +
  DaemonSet spec/template/metadata/labels +
  StatefulSet.apps spec/template/metadata/labels +
  StatefulSet.apps spec/volumeClaimTemplates[]/metadata/labels +
  Job.batch spec/template/metadata/labels +
  CronJob.batch spec/jobTemplate/metadata/labels +
  CronJob.batch spec/jobTemplate/spec/template/metadata/labels +`;

const affinity = (selector: string) =>
  [
    "podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm",
    "podAffinity/requiredDuringSchedulingIgnoredDuringExecution",
    "podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm",
    "podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution",
  ].map((p) => `${selector} spec/template/spec/affinity/${p}/labelSelector/matchLabels`)
    .concat(`${selector} spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels`)
    .join("\n");

const COMMON_LABELS = `
  Service@v1 spec/selector +
  ReplicationController@v1 spec/selector +
  Deployment spec/selector/matchLabels +
  ${affinity("Deployment.apps")}
  ReplicaSet spec/selector/matchLabels +
  DaemonSet spec/selector/matchLabels +
  StatefulSet.apps spec/selector/matchLabels +
  StatefulSet.apps spec/volumeClaimTemplates[]/metadata/labels +
  ${affinity("StatefulSet.apps")}
  Job.batch spec/selector/matchLabels
  CronJob.batch spec/jobTemplate/spec/selector/matchLabels
  PodDisruptionBudget.policy spec/selector/matchLabels
  NetworkPolicy.networking.k8s.io spec/podSelector/matchLabels
  NetworkPolicy.networking.k8s.io spec/ingress/from/podSelector/matchLabels
  NetworkPolicy.networking.k8s.io spec/egress/to/podSelector/matchLabels
  ${METADATA_LABELS}`;

const COMMON_ANNOTATIONS = `
  metadata/annotations +
  ReplicationController@v1 spec/template/metadata/annotations +
  Deployment spec/template/metadata/annotations +
  ReplicaSet spec/template/metadata/annotations +
  DaemonSet spec/template/metadata/annotations +
  StatefulSet spec/template/metadata/annotations +
  Job.batch spec/template/metadata/annotations +
  CronJob.batch spec/jobTemplate/metadata/annotations +
  CronJob.batch spec/jobTemplate/spec/template/metadata/annotations +`;

const NAMESPACE = `
  metadata/namespace +
  Namespace metadata/name +
  RoleBinding subjects[]/namespace
  ClusterRoleBinding subjects[]/namespace
  APIService.apiregistration.k8s.io spec/service/namespace +
  CustomResourceDefinition.apiextensions.k8s.io spec/conversion/webhook/clientConfig/service/namespace`;

const IMAGES = `
  spec/containers[]/image +
  spec/initContainers[]/image +
  spec/volumes[]/image/reference +
  spec/template/spec/containers[]/image +
  spec/template/spec/initContainers[]/image +
  spec/template/spec/volumes[]/image/reference +`;

const REPLICAS = `
  Deployment spec/replicas +
  ReplicationController spec/replicas +
  ReplicaSet spec/replicas +
  StatefulSet spec/replicas +`;

/** Where each workload kind keeps its pod spec. */
const POD_SPECS: [string, string][] = [
  ["Pod@v1", "spec"],
  ["PodTemplate", "template/spec"],
  ["Deployment", "spec/template/spec"],
  ["ReplicaSet", "spec/template/spec"],
  ["DaemonSet", "spec/template/spec"],
  ["StatefulSet", "spec/template/spec"],
  ["Job", "spec/template/spec"],
  ["CronJob", "spec/jobTemplate/spec/template/spec"],
];

const perPodSpec = (suffixes: string[]) =>
  POD_SPECS.flatMap(([kind, prefix]) => suffixes.map((s) => `${kind} ${prefix}/${s}`)).join("\n");

const containerVars = POD_SPECS.filter(([k]) => k !== "PodTemplate").flatMap(([kind, prefix]) =>
  ["containers", "initContainers"].flatMap((c) =>
    ["args", "command", "env/value", "volumeMounts/mountPath"].map((f) =>
      `${kind.replace("@v1", "")} ${prefix}/${c}/${f}`
    )
  ).concat(`${kind.replace("@v1", "")} ${prefix}/volumes/nfs/server`)
).join("\n");

const VAR_REFERENCE = `
  ${containerVars}
  Ingress spec/rules/host
  Ingress spec/tls/hosts
  Ingress spec/tls/secretName
  Service spec/ports/port
  Service spec/ports/targetPort
  StatefulSet spec/volumeClaimTemplates/spec/nfs/server
  PersistentVolume spec/nfs/server
  metadata/labels
  metadata/annotations`;

const NAME_REFERENCE: [string, string][] = [
  ["Deployment", "HorizontalPodAutoscaler spec/scaleTargetRef/name"],
  ["ReplicationController", "HorizontalPodAutoscaler spec/scaleTargetRef/name"],
  ["ReplicaSet", "HorizontalPodAutoscaler spec/scaleTargetRef/name"],
  ["StatefulSet", "HorizontalPodAutoscaler spec/scaleTargetRef/name"],
  [
    "ConfigMap@v1",
    perPodSpec([
      "volumes/configMap/name",
      "containers/env/valueFrom/configMapKeyRef/name",
      "initContainers/env/valueFrom/configMapKeyRef/name",
      "containers/envFrom/configMapRef/name",
      "initContainers/envFrom/configMapRef/name",
      "volumes/projected/sources/configMap/name",
    ]) + `
    Node spec/configSource/configMap
    Role rules/resourceNames
    ClusterRole rules/resourceNames
    Ingress metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap`,
  ],
  [
    "Secret@v1",
    perPodSpec([
      "volumes/secret/secretName",
      "containers/env/valueFrom/secretKeyRef/name",
      "initContainers/env/valueFrom/secretKeyRef/name",
      "containers/envFrom/secretRef/name",
      "initContainers/envFrom/secretRef/name",
      "imagePullSecrets/name",
      "volumes/projected/sources/secret/name",
    ]) + `
    Ingress spec/tls/secretName
    Ingress metadata/annotations/ingress.kubernetes.io\\/auth-secret
    Ingress metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret
    Ingress metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret
    ServiceAccount imagePullSecrets/name
    StorageClass parameters/secretName
    StorageClass parameters/adminSecretName
    StorageClass parameters/userSecretName
    StorageClass parameters/secretRef
    Role rules/resourceNames
    ClusterRole rules/resourceNames
    Service.serving.knative.dev@v1 spec/template/spec/containers/env/valueFrom/secretKeyRef/name
    PersistentVolume spec/azureFile/secretName`,
  ],
  [
    "Service@v1",
    `StatefulSet.apps spec/serviceName
    Ingress spec/rules/http/paths/backend/serviceName
    Ingress spec/backend/serviceName
    Ingress spec/rules/http/paths/backend/service/name
    Ingress spec/defaultBackend/service/name
    APIService.apiregistration.k8s.io spec/service/name
    ValidatingWebhookConfiguration.admissionregistration.k8s.io webhooks/clientConfig/service
    MutatingWebhookConfiguration.admissionregistration.k8s.io webhooks/clientConfig/service
    HTTPRoute spec/rules/backendRefs/name`,
  ],
  ["Role.rbac.authorization.k8s.io", "RoleBinding.rbac.authorization.k8s.io roleRef/name"],
  [
    "ClusterRole.rbac.authorization.k8s.io",
    `RoleBinding.rbac.authorization.k8s.io roleRef/name
    ClusterRoleBinding.rbac.authorization.k8s.io roleRef/name`,
  ],
  [
    "ServiceAccount@v1",
    `RoleBinding.rbac.authorization.k8s.io subjects
    ClusterRoleBinding.rbac.authorization.k8s.io subjects
    Pod spec/serviceAccountName
    StatefulSet spec/template/spec/serviceAccountName
    Deployment spec/template/spec/serviceAccountName
    ReplicationController spec/template/spec/serviceAccountName
    CronJob spec/jobTemplate/spec/template/spec/serviceAccountName
    Job spec/template/spec/serviceAccountName
    DaemonSet spec/template/spec/serviceAccountName`,
  ],
  [
    "PersistentVolumeClaim@v1",
    `Pod spec/volumes/persistentVolumeClaim/claimName
    StatefulSet spec/template/spec/volumes/persistentVolumeClaim/claimName
    Deployment spec/template/spec/volumes/persistentVolumeClaim/claimName
    ReplicationController spec/template/spec/volumes/persistentVolumeClaim/claimName
    CronJob spec/jobTemplate/spec/template/spec/volumes/persistentVolumeClaim/claimName
    Job spec/template/spec/volumes/persistentVolumeClaim/claimName
    DaemonSet spec/template/spec/volumes/persistentVolumeClaim/claimName`,
  ],
  [
    "PersistentVolume@v1",
    `PersistentVolumeClaim spec/volumeName
    ClusterRole rules/resourceNames`,
  ],
  [
    "StorageClass.storage.k8s.io@v1",
    `PersistentVolume spec/storageClassName
    PersistentVolumeClaim spec/storageClassName
    StatefulSet spec/volumeClaimTemplates/spec/storageClassName`,
  ],
  [
    "PriorityClass.scheduling.k8s.io@v1",
    `Pod spec/priorityClassName
    StatefulSet spec/template/spec/priorityClassName
    Deployment spec/template/spec/priorityClassName
    ReplicationController spec/template/spec/priorityClassName
    CronJob spec/jobTemplate/spec/template/spec/priorityClassName
    Job spec/template/spec/priorityClassName
    DaemonSet spec/template/spec/priorityClassName`,
  ],
  ["IngressClass.networking.k8s.io/v1@v1", "Ingress spec/ingressClassName"],
];

function gvkOf(selector: string): Partial<Gvk> {
  const [kindGroup, version] = selector.split("@");
  const dot = kindGroup.indexOf(".");
  const out: Partial<Gvk> = { kind: dot < 0 ? kindGroup : kindGroup.slice(0, dot) };
  if (dot >= 0) out.group = kindGroup.slice(dot + 1);
  if (version) out.version = version;
  return out;
}

let defaults: TransformerConfig | undefined;

/**
 * kustomize's default field specs. The lists are shared between builds and never modified
 * (merging makes new lists), so every kustomization starts from the same ones cheaply.
 */
export function defaultTransformerConfig(): TransformerConfig {
  defaults ??= makeDefaultTransformerConfig();
  return { ...defaults };
}

function makeDefaultTransformerConfig(): TransformerConfig {
  return {
    namePrefix: [
      { path: "metadata/name" },
    ],
    nameSuffix: [{ path: "metadata/name" }],
    namespace: specs(NAMESPACE),
    commonLabels: specs(COMMON_LABELS),
    templateLabels: specs(METADATA_LABELS),
    commonAnnotations: specs(COMMON_ANNOTATIONS),
    nameReference: NAME_REFERENCE.map(([target, lines]) => ({
      target: gvkOf(target),
      fieldSpecs: specs(lines),
    })),
    varReference: specs(VAR_REFERENCE),
    images: specs(IMAGES),
    replicas: specs(REPLICAS),
  };
}

/** Kinds the prefix/suffix transformers never rename (kustomize's "skip" field specs). */
export const NAME_CHANGE_SKIPPED: Partial<Gvk>[] = [
  { kind: "CustomResourceDefinition" },
  { kind: "APIService", group: "apiregistration.k8s.io" },
  { kind: "Namespace" },
];

const specKey = (f: FieldSpec) => `${f.path}|${f.kind ?? ""}|${f.group ?? ""}|${f.version ?? ""}`;

export function mergeFieldSpecs(a: FieldSpec[], b: FieldSpec[]): FieldSpec[] {
  if (a === b || b.length === 0) return a;
  const seen = new Set(a.map(specKey));
  const out = [...a];
  for (const fs of b) {
    const key = specKey(fs);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(fs);
    }
  }
  return out;
}

function sameTarget(a: Partial<Gvk>, b: Partial<Gvk>): boolean {
  return (a.kind ?? "") === (b.kind ?? "") && (a.group ?? "") === (b.group ?? "") &&
    (a.version ?? "") === (b.version ?? "");
}

export function mergeTransformerConfigs(
  a: TransformerConfig,
  b: TransformerConfig,
): TransformerConfig {
  if (a === b) return a;
  const nameReference = a.nameReference === b.nameReference
    ? a.nameReference
    : a.nameReference.map((r) => ({ ...r, fieldSpecs: [...r.fieldSpecs] }));
  for (const ref of a.nameReference === b.nameReference ? [] : b.nameReference) {
    const existing = nameReference.find((r) => sameTarget(r.target, ref.target));
    if (existing) existing.fieldSpecs = mergeFieldSpecs(existing.fieldSpecs, ref.fieldSpecs);
    else nameReference.push(ref);
  }
  return {
    namePrefix: mergeFieldSpecs(a.namePrefix, b.namePrefix),
    nameSuffix: mergeFieldSpecs(a.nameSuffix, b.nameSuffix),
    namespace: mergeFieldSpecs(a.namespace, b.namespace),
    commonLabels: mergeFieldSpecs(a.commonLabels, b.commonLabels),
    templateLabels: mergeFieldSpecs(a.templateLabels, b.templateLabels),
    commonAnnotations: mergeFieldSpecs(a.commonAnnotations, b.commonAnnotations),
    nameReference,
    varReference: mergeFieldSpecs(a.varReference, b.varReference),
    images: mergeFieldSpecs(a.images, b.images),
    replicas: mergeFieldSpecs(a.replicas, b.replicas),
  };
}

export function emptyTransformerConfig(): TransformerConfig {
  return {
    namePrefix: [],
    nameSuffix: [],
    namespace: [],
    commonLabels: [],
    templateLabels: [],
    commonAnnotations: [],
    nameReference: [],
    varReference: [],
    images: [],
    replicas: [],
  };
}

function toFieldSpecs(v: unknown): FieldSpec[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isMap).map((m) => ({
    path: String(m.path ?? ""),
    kind: m.kind as string | undefined,
    group: m.group as string | undefined,
    version: m.version as string | undefined,
    create: m.create === true,
  }));
}

/** Reads a `configurations:` file (same shape as kustomize's transformer config). */
export function transformerConfigFromDocument(doc: Record<string, unknown>): TransformerConfig {
  const nameReference: NameBackReference[] = Array.isArray(doc.nameReference)
    ? doc.nameReference.filter(isMap).map((m) => ({
      target: {
        kind: m.kind as string | undefined,
        group: m.group as string | undefined,
        version: m.version as string | undefined,
      },
      fieldSpecs: toFieldSpecs(m.fieldSpecs),
    }))
    : [];
  return {
    namePrefix: toFieldSpecs(doc.namePrefix),
    nameSuffix: toFieldSpecs(doc.nameSuffix),
    namespace: toFieldSpecs(doc.namespace),
    commonLabels: toFieldSpecs(doc.commonLabels),
    templateLabels: toFieldSpecs(doc.templateLabels),
    commonAnnotations: toFieldSpecs(doc.commonAnnotations),
    nameReference,
    varReference: toFieldSpecs(doc.varReference),
    images: toFieldSpecs(doc.images),
    replicas: toFieldSpecs(doc.replicas),
  };
}
