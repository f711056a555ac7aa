// Request bodies of the webhook-style Provider types (generic, Slack and the services that take
// Slack's format, Teams, Google Chat), as each service documents its incoming webhooks and as
// Flux's notification controller shapes them. Rocket.Chat's incoming webhooks take Slack's
// attachments; Discord takes them on the webhook's /slack endpoint.
import type { AgentEvent } from "../event.ts";

export interface Payload {
  body: string;
  /** Some services expect a path suffix (Discord's Slack-compatible endpoint). */
  pathSuffix?: string;
}

function title(e: AgentEvent): string {
  return `${e.involvedObject.kind}/${e.involvedObject.namespace}/${e.involvedObject.name}`;
}

function facts(e: AgentEvent): { name: string; value: string }[] {
  return Object.entries(e.metadata).map(([name, value]) => ({ name, value }));
}

export function payloadFor(
  type: string,
  e: AgentEvent,
  provider: { channel?: string; username?: string },
): Payload {
  switch (type) {
    case "generic":
    case "generic-hmac":
      return { body: JSON.stringify(e) };
    case "slack":
    case "discord":
    case "rocket": {
      const body = {
        channel: provider.channel,
        username: provider.username ?? "skiff",
        icon_url: undefined,
        attachments: [{
          color: e.severity === "error" ? "danger" : "good",
          author_name: title(e),
          text: e.message,
          mrkdwn_in: ["text"],
          fields: facts(e).map((f) => ({ title: f.name, value: f.value, short: false })),
        }],
      };
      return { body: JSON.stringify(body), pathSuffix: type === "discord" ? "/slack" : undefined };
    }
    case "msteams":
      // An Adaptive Card in a "message" envelope, what Teams workflows (Power Automate) accept.
      return {
        body: JSON.stringify({
          type: "message",
          attachments: [{
            contentType: "application/vnd.microsoft.card.adaptive",
            content: {
              $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
              type: "AdaptiveCard",
              version: "1.4",
              body: [
                { type: "TextBlock", text: title(e), weight: "bolder", size: "medium" },
                { type: "TextBlock", text: e.message, wrap: true },
                {
                  type: "FactSet",
                  facts: facts(e).map((f) => ({ title: f.name, value: f.value })),
                },
              ],
            },
          }],
        }),
      };
    case "googlechat":
      return {
        body: JSON.stringify({
          text: `*${title(e)}* (${e.severity})\n${e.message}` +
            facts(e).map((f) => `\n${f.name}: ${f.value}`).join(""),
        }),
      };
    default:
      throw new UnsupportedProviderError(type);
  }
}

export class UnsupportedProviderError extends Error {
  override readonly name = "UnsupportedProviderError";
  constructor(readonly type: string) {
    super(`provider type ${type} is not supported by skiff`);
  }
}
