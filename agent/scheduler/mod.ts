// The scheduler that drives every reconciler: intervals with jitter, retry backoff, triggers,
// one global concurrency limit.
export {
  type RunFunction,
  type RunResult,
  type Schedule,
  Scheduler,
  type SchedulerOptions,
} from "./scheduler.ts";
export { JITTER_FRACTION, retryDelay, withJitter } from "./backoff.ts";
