// Which HTTP requests deliver one event to one Provider, by type. Every type skiff sends is
// listed here; the types that need a non-HTTP client are refused when the config is loaded
// (agent/config/kinds/provider.ts), and an unknown type reaching this point is an error, never
// a silent drop.
import type { AgentEvent } from "../event.ts";
import { hmacHex } from "../../server/mod.ts";
import { COMMIT_STATUS_TYPES, commitStatusCalls } from "./commit_status.ts";
import { githubDispatchCall } from "./github_dispatch.ts";
import type { HttpCall, Planned } from "./http_call.ts";
import {
  alertmanagerCall,
  datadogCall,
  grafanaCall,
  opsgenieCall,
  pagerdutyCalls,
} from "./incidents.ts";
import { larkCall, matrixCall, telegramCall, webexCall, zulipCall } from "./messages.ts";
import { payloadFor, UnsupportedProviderError } from "./payloads.ts";
import { type ProviderContext, ProviderSetupError, requireAddress } from "./provider_context.ts";

export const SUPPORTED_PROVIDER_TYPES = [
  "generic",
  "generic-hmac",
  "slack",
  "discord",
  "rocket",
  "msteams",
  "googlechat",
  ...COMMIT_STATUS_TYPES,
  "webex",
  "telegram",
  "matrix",
  "lark",
  "zulip",
  "alertmanager",
  "grafana",
  "opsgenie",
  "pagerduty",
  "datadog",
  "githubdispatch",
] as const;

export async function plannedCalls(p: ProviderContext, e: AgentEvent): Promise<Planned> {
  switch (p.type) {
    case "github":
    case "gitlab":
    case "gitea":
    case "bitbucket":
    case "bitbucketserver":
    case "azuredevops":
      return await commitStatusCalls(p, e);
    case "generic":
    case "generic-hmac":
    case "slack":
    case "discord":
    case "rocket":
    case "msteams":
    case "googlechat":
      return { calls: [await webhookCall(p, e)] };
    case "webex":
      return { calls: [webexCall(p, e)] };
    case "telegram":
      return { calls: [telegramCall(p, e)] };
    case "matrix":
      return { calls: [await matrixCall(p, e)] };
    case "lark":
      return { calls: [larkCall(p, e)] };
    case "zulip":
      return { calls: [zulipCall(p, e)] };
    case "alertmanager":
      return { calls: [alertmanagerCall(p, e)] };
    case "grafana":
      return { calls: [grafanaCall(p, e)] };
    case "opsgenie":
      return { calls: [opsgenieCall(p, e)] };
    case "pagerduty":
      return { calls: pagerdutyCalls(p, e) };
    case "datadog":
      return { calls: [datadogCall(p, e)] };
    case "githubdispatch":
      return { calls: [githubDispatchCall(p, e)] };
    default:
      throw new UnsupportedProviderError(p.type);
  }
}

async function webhookCall(p: ProviderContext, e: AgentEvent): Promise<HttpCall> {
  const address = requireAddress(p, "the webhook URL");
  const payload = payloadFor(p.type, e, { channel: p.channel, username: p.username });
  const headers: Record<string, string> = { "content-type": "application/json" };
  const token = p.secret.token;
  if (p.type === "generic" || p.type === "generic-hmac") {
    // The Secret's `headers` go to the generic webhook, where the receiver defines them.
    Object.assign(headers, p.secret.headers);
  }
  if (p.type === "generic-hmac") {
    if (!token) {
      throw new ProviderSetupError(
        "spec.secretRef",
        "generic-hmac needs a 'token' key in its Secret",
      );
    }
    headers["x-signature"] = "sha256=" +
      await hmacHex("SHA-256", token, new TextEncoder().encode(payload.body));
  } else if (token && (p.type === "generic" || p.type === "slack")) {
    // Slack's chat.postMessage API takes a bot token; incoming webhooks carry none.
    headers.authorization = `Bearer ${token}`;
  }
  return { method: "POST", url: address + (payload.pathSuffix ?? ""), headers, body: payload.body };
}
