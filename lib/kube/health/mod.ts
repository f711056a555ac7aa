// Readiness: kstatus rules for one object, and waiting for a set.
export { checkHealth, type Health, type HealthStatus } from "./rules.ts";
export { type HealthReport, type ObjectHealth, waitForReady, type WaitOptions } from "./wait.ts";
