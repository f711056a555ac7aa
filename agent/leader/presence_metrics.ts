// The presence record in Prometheus' text format: how often another agent was found, and
// whether one is seen now (alert on `skiff_agent_conflict == 1`).
import type { PresenceRecord } from "./presence.ts";

export function presenceMetrics(presence: PresenceRecord): string[] {
  return [
    "# HELP skiff_agent_conflicts_total Times another skiff agent was found reconciling the same cluster without leader election.",
    "# TYPE skiff_agent_conflicts_total counter",
    `skiff_agent_conflicts_total ${presence.conflictsTotal}`,
    "# HELP skiff_agent_conflict 1 while another skiff agent is seen reconciling the same cluster without leader election.",
    "# TYPE skiff_agent_conflict gauge",
    `skiff_agent_conflict ${presence.conflict ? 1 : 0}`,
  ];
}
