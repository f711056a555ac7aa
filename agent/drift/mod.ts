// Drift: watch what skiff applied and correct (or report) changes made outside Git.
export { type DriftCounters, DriftWatcher } from "./watcher.ts";
export { CorrectionLimiter, DRIFT_ANNOTATION, type DriftPolicy, driftPolicyOf } from "./policy.ts";
