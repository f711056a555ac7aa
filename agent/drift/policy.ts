// Per-Kustomization drift handling, set by an annotation on the Kustomization (Flux's schema has
// no field for it): `skiff.dev/drift: correct` (default) reverts manual edits and deletions
// within seconds, `warn` only reports them, `ignore` leaves them to the next interval.
import type { Kustomization } from "../config/mod.ts";

export const DRIFT_ANNOTATION = "skiff.dev/drift";
export type DriftPolicy = "correct" | "warn" | "ignore";

export function driftPolicyOf(k: Kustomization): DriftPolicy {
  const value = k.metadata.annotations?.[DRIFT_ANNOTATION];
  return value === "warn" || value === "ignore" ? value : "correct";
}

/**
 * A token bucket per Kustomization: at most `burst` corrections, refilled at one per
 * `refillMs`. Beyond it skiff is fighting another writer, and stops correcting until the next
 * interval instead of becoming a hot loop.
 */
export class CorrectionLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  constructor(readonly burst = 5, readonly refillMs = 12_000) {}

  take(key: string, now = Date.now()): boolean {
    const b = this.#buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + (now - b.at) / this.refillMs);
    b.at = now;
    this.#buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
