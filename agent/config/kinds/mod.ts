// Every kind a config file may hold, with its apiVersions, schemas and normalizers.
import { agentKind } from "./agent.ts";
import { alertKind } from "./alert.ts";
import { gitRepositoryKind } from "./git_repository.ts";
import { helmReleaseKind } from "./helm_release.ts";
import { helmRepositoryKind } from "./helm_repository.ts";
import { imagePolicyKind } from "./image_policy.ts";
import { imageRepositoryKind } from "./image_repository.ts";
import { imageUpdateAutomationKind } from "./image_update_automation.ts";
import type { KindDefinition } from "./kind.ts";
import { kustomizationKind } from "./kustomization.ts";
import { ociRepositoryKind } from "./oci_repository.ts";
import { providerKind } from "./provider.ts";
import { receiverKind } from "./receiver.ts";

export type { KindDefinition, KindVersion } from "./kind.ts";
export type { AgentSpec } from "./agent.ts";
export type { AlertSpec } from "./alert.ts";
export type { GitRepositorySpec } from "./git_repository.ts";
export type { HelmReleaseSpec } from "./helm_release.ts";
export type { HelmRepositorySpec } from "./helm_repository.ts";
export type { ImagePolicySpec } from "./image_policy.ts";
export type { ImageRepositorySpec } from "./image_repository.ts";
export type { ImageUpdateAutomationSpec } from "./image_update_automation.ts";
export type { KustomizationSpec } from "./kustomization.ts";
export type { OCIRepositorySpec } from "./oci_repository.ts";
export type { ProviderSpec } from "./provider.ts";
export { COMMIT_STATUS_TYPES, PROVIDER_TYPES } from "./provider.ts";
export type { ReceiverSpec } from "./receiver.ts";

/** In the order the reference documentation lists them. */
export const KINDS = [
  agentKind,
  gitRepositoryKind,
  ociRepositoryKind,
  helmRepositoryKind,
  kustomizationKind,
  helmReleaseKind,
  imageRepositoryKind,
  imagePolicyKind,
  imageUpdateAutomationKind,
  receiverKind,
  alertKind,
  providerKind,
] as const;

export type KindName = (typeof KINDS)[number]["kind"];

export function findKind(kind: string): KindDefinition<string, unknown> | undefined {
  return (KINDS as readonly KindDefinition<string, unknown>[]).find((k) => k.kind === kind);
}
