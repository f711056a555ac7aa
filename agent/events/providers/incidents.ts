// Alerting and observability services, each request as the service's API documents it and
// with the fields Flux's notification controller fills: Prometheus Alertmanager alerts,
// Grafana annotations, Opsgenie alerts, PagerDuty Events API v2 (+ change events), Datadog
// events.
import type { AgentEvent } from "../event.ts";
import { basicAuth, type HttpCall, jsonCall } from "./http_call.ts";
import {
  type ProviderContext,
  requireAddress,
  requireChannel,
  requireToken,
  requireUrl,
} from "./provider_context.ts";
import { reasonWords, statusName } from "./status_text.ts";

/** RFC 3339 in seconds, as Go's time.RFC3339 prints it. */
function rfc3339(timestamp: string): string {
  return new Date(timestamp).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function bearerOrBasic(p: ProviderContext): Record<string, string> {
  if (p.secret.token) return { authorization: `Bearer ${p.secret.token}` };
  if (p.username && p.secret.password) {
    return { authorization: basicAuth(p.username, p.secret.password) };
  }
  return {};
}

/**
 * Alertmanager's POST /api/v2/alerts: one firing alert, the metadata as labels plus alertname
 * (`Flux<Kind><Reason>`, the reason title-cased as Go's cases.Title does: first letter upper,
 * the rest lower), severity, reason, kind, name, namespace, reportingcontroller; the message and
 * summary as annotations. No endsAt: Alertmanager's resolve_timeout applies.
 */
export function alertmanagerCall(p: ProviderContext, e: AgentEvent): HttpCall {
  const { summary, ...rest } = e.metadata;
  const o = e.involvedObject;
  const reason = e.reason.charAt(0).toUpperCase() + e.reason.slice(1).toLowerCase();
  const labels: Record<string, string> = {
    ...rest,
    alertname: `Flux${o.kind}${reason}`,
    severity: e.severity,
    reason: e.reason,
    kind: o.kind,
    name: o.name,
    namespace: o.namespace,
    reportingcontroller: e.reportingController,
  };
  const annotations: Record<string, string> = { message: e.message };
  if (summary !== undefined) annotations.summary = summary;
  return jsonCall(
    requireAddress(p, "the alerts API URL (https://host/api/v2/alerts)"),
    [{ status: "firing", labels, annotations, startsAt: rfc3339(e.timestamp) }],
    bearerOrBasic(p),
  );
}

/**
 * Grafana's POST /api/annotations: an organisation-wide annotation at the event's time (ms),
 * tagged `flux`, the reporting controller, `key: value` per metadata entry (":" in keys and
 * values becomes "|", since Grafana splits tags there) and the object's kind, name, namespace.
 */
export function grafanaCall(p: ProviderContext, e: AgentEvent): HttpCall {
  const o = e.involvedObject;
  const bar = (s: string) => s.replaceAll(":", "|");
  const tags = [
    "flux",
    e.reportingController,
    ...Object.entries(e.metadata).map(([k, v]) => `${bar(k)}: ${bar(v)}`),
    `kind: ${o.kind}`,
    `name: ${o.name}`,
    `namespace: ${o.namespace}`,
  ];
  return jsonCall(requireAddress(p, "the annotations API URL (https://host/api/annotations)"), {
    time: Date.parse(e.timestamp),
    text: `${o.kind.toLowerCase()}/${o.name}.${o.namespace}`,
    tags,
  }, bearerOrBasic(p));
}

/** Opsgenie's POST /v2/alerts with a GenieKey: `<Kind>/<name>`, the message, metadata details. */
export function opsgenieCall(p: ProviderContext, e: AgentEvent): HttpCall {
  const o = e.involvedObject;
  return jsonCall(requireAddress(p, "the alerts API URL (https://api.opsgenie.com/v2/alerts)"), {
    message: `${o.kind}/${o.name}`,
    description: e.message,
    details: { ...e.metadata, severity: e.severity },
  }, { authorization: `GenieKey ${requireToken(p, "an API key")}` });
}

/**
 * PagerDuty Events API v2 on the address's host: an error triggers an incident, anything else
 * resolves the object's open incident (dedup key: the object), and info events are also sent as
 * change events for the service's timeline. The routing key is spec.channel.
 */
export function pagerdutyCalls(p: ProviderContext, e: AgentEvent): HttpCall[] {
  const origin = requireUrl(p, "the Events API URL (https://events.pagerduty.com)").origin;
  const routingKey = requireChannel(p, "the integration (routing) key in spec.channel");
  const o = e.involvedObject;
  const summary = `${reasonWords(e.reason)}: ${statusName(e)}`;
  const source = `Flux ${e.reportingController}`;
  const details = { message: e.message, metadata: e.metadata };
  const event: Record<string, unknown> = {
    routing_key: routingKey,
    event_action: "resolve",
    dedup_key: `${o.kind}/${o.namespace}/${o.name}`,
  };
  if (e.severity === "error") {
    event.event_action = "trigger";
    event.payload = {
      summary,
      source,
      severity: "error",
      timestamp: rfc3339(e.timestamp),
      component: o.name,
      group: o.kind,
      custom_details: details,
    };
  }
  const calls = [jsonCall(`${origin}/v2/enqueue`, event)];
  if (e.severity === "info") {
    calls.push(jsonCall(`${origin}/v2/change/enqueue`, {
      routing_key: routingKey,
      payload: { summary, source, timestamp: rfc3339(e.timestamp), custom_details: details },
    }));
  }
  return calls;
}

/**
 * Datadog's POST /api/v1/events with the API key header: title as Datadog's Kubernetes
 * integration words it, source type `fluxcd`, tags lower-cased (Datadog lower-cases them).
 */
export function datadogCall(p: ProviderContext, e: AgentEvent): HttpCall {
  const origin = requireUrl(p, "the API URL (https://api.datadoghq.com)").origin;
  const o = e.involvedObject;
  const tags = [
    `flux_reporting_controller:${e.reportingController}`,
    `flux_reason:${e.reason}`,
    `kube_kind:${o.kind}`,
    `kube_name:${o.name}`,
    `kube_namespace:${o.namespace}`,
    ...Object.entries(e.metadata).map(([k, v]) => `${k}:${v}`),
  ].map((t) => t.toLowerCase());
  return jsonCall(`${origin}/api/v1/events`, {
    title: `Events from the ${o.kind} ${o.name}/${o.namespace}`,
    text: e.message,
    tags,
    source_type_name: "fluxcd",
    date_happened: Math.floor(Date.parse(e.timestamp) / 1000),
    alert_type: e.severity === "error" ? "error" : "info",
  }, { "dd-api-key": requireToken(p, "an API key") });
}
