// One word per state, used for the badge, the filter and sorting alike.
import type { ReadyState } from "../status/mod.ts";

export type StateLabel = "ready" | "failed" | "waiting" | "progressing" | "suspended" | "missing";

export const STATE_WORDS: Record<StateLabel, string> = {
  ready: "Ready",
  failed: "Failed",
  waiting: "Waiting",
  progressing: "Progressing",
  suspended: "Suspended",
  missing: "Missing",
};

/** Waiting for a dependency is not a failure of the object itself: it gets its own word. */
export function stateLabel(ready: ReadyState | "Missing", reason: string): StateLabel {
  if (ready === "Missing") return "missing";
  if (ready === "True") return "ready";
  if (reason === "DependencyNotReady" || reason === "ArtifactFailed") return "waiting";
  return ready === "False" ? "failed" : "progressing";
}
