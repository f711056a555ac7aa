// Leader election with a Lease, so several replicas can run and only one acts; without it, a
// presence Lease through which two agents on one cluster find and report each other.
export { LeaderElector, type LeaderElectorOptions } from "./elector.ts";
export {
  DEFAULT_PRESENCE_PERIOD_MS,
  type PresenceConflict,
  presenceLeaseName,
  type PresenceOptions,
  PresenceRecord,
} from "./presence.ts";
export { CONFLICT_REASON, recordConflictEvent } from "./conflict_event.ts";
export { presenceMetrics } from "./presence_metrics.ts";
