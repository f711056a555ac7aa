// When the next run of an object is due: its interval with jitter after a success, and a capped
// exponential backoff from its retryInterval after failures.

/** Flux spreads runs by a few percent so objects added together do not stay in lockstep. */
export const JITTER_FRACTION = 0.05;

/** `ms` moved by up to ±JITTER_FRACTION, using `random` in [0, 1). */
export function withJitter(ms: number, random: () => number): number {
  return Math.max(0, Math.round(ms * (1 + JITTER_FRACTION * (2 * random() - 1))));
}

/**
 * Delay after the `failures`-th failure in a row (1-based): retryInterval doubled per failure,
 * never beyond the larger of interval and retryInterval, so a broken object is retried at least
 * as often as it would be reconciled anyway.
 */
export function retryDelay(failures: number, retryIntervalMs: number, intervalMs: number): number {
  const cap = Math.max(intervalMs, retryIntervalMs);
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  return Math.min(retryIntervalMs * 2 ** exponent, cap);
}
