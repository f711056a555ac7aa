// The config file: load it into typed, defaulted objects, or get every problem at once.
export { loadConfigFile, loadConfigText } from "./load.ts";
export { Config } from "./config.ts";
export { ConfigError, ConfigFileError, type ConfigProblem, formatProblem } from "./problems.ts";
export type {
  Agent,
  Alert,
  ConfigObject,
  FluxKind,
  FluxObject,
  GitRepository,
  HelmRelease,
  HelmRepository,
  ImagePolicy,
  ImageRepository,
  ImageUpdateAutomation,
  Kustomization,
  ObjectMeta,
  ObjectsByKind,
  OCIRepository,
  Origin,
  Provider,
  Receiver,
} from "./objects.ts";
export type {
  AgentSpec,
  AlertSpec,
  GitRepositorySpec,
  HelmReleaseSpec,
  HelmRepositorySpec,
  ImagePolicySpec,
  ImageRepositorySpec,
  ImageUpdateAutomationSpec,
  KustomizationSpec,
  OCIRepositorySpec,
  ProviderSpec,
  ReceiverSpec,
} from "./kinds/mod.ts";
export { renderConfigReference } from "./reference_doc.ts";
export { COMMIT_STATUS_TYPES, PROVIDER_TYPES } from "./kinds/mod.ts";
