// Events: reconcile outcomes as Kubernetes Events and notifications through Alerts/Providers.
export type { AgentEvent, Severity } from "./event.ts";
export { eventForAlert, matchingAlerts } from "./alerts.ts";
export { EventRecorder, type RecorderOptions } from "./recorder.ts";
export {
  DeliveryError,
  type DeliveryResult,
  sendEvent,
  type SendOptions,
} from "./providers/send.ts";
export {
  type ProviderSecret,
  type ProviderSecretData,
  ProviderSecretError,
  providerSecretOf,
} from "./providers/secret.ts";
export { payloadFor, UnsupportedProviderError } from "./providers/payloads.ts";
export { plannedCalls, SUPPORTED_PROVIDER_TYPES } from "./providers/requests.ts";
export type { HttpCall } from "./providers/http_call.ts";
export type { ProviderContext } from "./providers/provider_context.ts";
export { COMMIT_STATUS_TYPES, commitStatusKey } from "./providers/commit_status.ts";
export { commitShaOf } from "./providers/revision.ts";
export { githubApiRoot, parseGitAddress } from "./providers/git_address.ts";
