// The schedule of a kind that has one `interval` and no `retryInterval` (sources, image
// scans, automations): a failed run is retried on the interval, as Flux does.
import { parseDurationMillis } from "../../lib/duration/mod.ts";
import type { Schedule } from "../scheduler/mod.ts";

export function intervalSchedule(spec: { interval: string; suspend?: boolean }): Schedule {
  const intervalMs = parseDurationMillis(spec.interval);
  return { intervalMs, retryIntervalMs: intervalMs, suspended: spec.suspend };
}
