// The typed objects a loaded config holds: Flux's wire shape (apiVersion, kind, metadata,
// spec) with the spec normalized to the kind's newest version and defaults applied, plus
// where each came from and the document as written.
import type * as Kinds from "./kinds/mod.ts";

export interface ObjectMeta {
  name: string;
  /** Defaults to "flux-system", as in Flux. */
  namespace: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface Origin {
  file: string;
  /** 0-based index of the document in the file (messages print it 1-based). */
  documentIndex: number;
  /** Line of the document's first content, 1-based. */
  line: number;
  /** The apiVersion as written; `apiVersion` on the object is the normalized one. */
  apiVersion: string;
  /** The document exactly as parsed, before defaults and normalization. */
  document: Record<string, unknown>;
}

export interface ConfigObject<K extends string, Spec> {
  /** The kind's newest apiVersion: the shape `spec` is normalized to. */
  apiVersion: string;
  kind: K;
  metadata: ObjectMeta;
  spec: Spec;
  origin: Origin;
}

export type Agent = ConfigObject<"Agent", Kinds.AgentSpec>;
export type GitRepository = ConfigObject<"GitRepository", Kinds.GitRepositorySpec>;
export type OCIRepository = ConfigObject<"OCIRepository", Kinds.OCIRepositorySpec>;
export type HelmRepository = ConfigObject<"HelmRepository", Kinds.HelmRepositorySpec>;
export type Kustomization = ConfigObject<"Kustomization", Kinds.KustomizationSpec>;
export type HelmRelease = ConfigObject<"HelmRelease", Kinds.HelmReleaseSpec>;
export type ImageRepository = ConfigObject<"ImageRepository", Kinds.ImageRepositorySpec>;
export type ImagePolicy = ConfigObject<"ImagePolicy", Kinds.ImagePolicySpec>;
export type ImageUpdateAutomation = ConfigObject<
  "ImageUpdateAutomation",
  Kinds.ImageUpdateAutomationSpec
>;
export type Receiver = ConfigObject<"Receiver", Kinds.ReceiverSpec>;
export type Alert = ConfigObject<"Alert", Kinds.AlertSpec>;
export type Provider = ConfigObject<"Provider", Kinds.ProviderSpec>;

/** Kind name to object type, for typed lookups. */
export interface ObjectsByKind {
  GitRepository: GitRepository;
  OCIRepository: OCIRepository;
  HelmRepository: HelmRepository;
  Kustomization: Kustomization;
  HelmRelease: HelmRelease;
  ImageRepository: ImageRepository;
  ImagePolicy: ImagePolicy;
  ImageUpdateAutomation: ImageUpdateAutomation;
  Receiver: Receiver;
  Alert: Alert;
  Provider: Provider;
}

export type FluxKind = keyof ObjectsByKind;
export type FluxObject = ObjectsByKind[FluxKind];
