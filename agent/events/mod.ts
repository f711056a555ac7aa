// Events: reconcile outcomes as Kubernetes Events and notifications through Alerts/Providers.
export type { AgentEvent, Severity } from "./event.ts";
export { eventForAlert, matchingAlerts } from "./alerts.ts";
export { EventRecorder, type RecorderOptions } from "./recorder.ts";
export { DeliveryError, type ProviderSecret, sendEvent } from "./providers/send.ts";
export { payloadFor, UnsupportedProviderError } from "./providers/payloads.ts";
