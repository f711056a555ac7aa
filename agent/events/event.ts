// One reconcile outcome as an event: what Flux's controllers send to the notification
// controller, and what becomes a Kubernetes Event.
export type Severity = "info" | "error";

export interface AgentEvent {
  involvedObject: { kind: string; namespace: string; name: string; apiVersion?: string };
  severity: Severity;
  /** Flux's reason: ReconciliationSucceeded, BuildFailed, HealthCheckFailed... */
  reason: string;
  message: string;
  timestamp: string;
  /** revision, summary and the Alert's eventMetadata. */
  metadata: Record<string, string>;
  reportingController: string;
  reportingInstance: string;
}
