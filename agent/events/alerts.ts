// Which Alerts an event goes through, by Flux's rules: eventSources (kind, name or "*" with
// matchLabels, namespace), eventSeverity (info passes everything, error only errors),
// inclusionList then exclusionList (Go regexps on the message), and summary/eventMetadata
// added to the metadata.
import type { Alert, Config } from "../config/mod.ts";
import { compileGoRegexp } from "../../lib/regexp/mod.ts";
import type { AgentEvent } from "./event.ts";

export function matchingAlerts(config: Config, event: AgentEvent): Alert[] {
  const source = config.get(
    event.involvedObject.kind as "Kustomization",
    event.involvedObject.namespace,
    event.involvedObject.name,
  );
  const labels = source?.metadata.labels ?? {};
  return config.alerts.filter((alert) => {
    if (alert.spec.suspend) return false;
    if (alert.spec.eventSeverity === "error" && event.severity !== "error") return false;
    const selected = alert.spec.eventSources.some((s) => {
      if (s.kind !== event.involvedObject.kind) return false;
      const ns = s.namespace ?? alert.metadata.namespace;
      if (ns !== "*" && ns !== event.involvedObject.namespace) return false;
      if (s.name === "*") {
        return Object.entries(s.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
      }
      return s.name === event.involvedObject.name;
    });
    if (!selected) return false;
    const include = alert.spec.inclusionList ?? [];
    if (include.length > 0 && !include.some((p) => compileGoRegexp(p).test(event.message))) {
      return false;
    }
    return !(alert.spec.exclusionList ?? []).some((p) => compileGoRegexp(p).test(event.message));
  });
}

/** The event as a given Alert sends it: its summary and eventMetadata merged in. */
export function eventForAlert(alert: Alert, event: AgentEvent): AgentEvent {
  const metadata = { ...event.metadata };
  if (alert.spec.summary) metadata.summary = alert.spec.summary;
  for (const [k, v] of Object.entries(alert.spec.eventMetadata ?? {})) metadata[k] ??= v;
  return { ...event, metadata };
}
