// Chat services that take a text message through their HTTP APIs, each as its API documents
// the request and with the text Flux's notification controller writes: a heading with an
// emoji for the severity, `<kind>/<name>.<namespace>`, the message, then the metadata.
import type { AgentEvent } from "../event.ts";
import { basicAuth, type HttpCall, jsonCall } from "./http_call.ts";
import {
  type ProviderContext,
  ProviderSetupError,
  requireAddress,
  requireChannel,
  requireToken,
  requireUrl,
} from "./provider_context.ts";

function objectRef(e: AgentEvent): string {
  const o = e.involvedObject;
  return `${o.kind.toLowerCase()}/${o.name}.${o.namespace}`;
}

function failed(e: AgentEvent): boolean {
  return e.severity === "error";
}

/** Webex: POST /v1/messages with the room and a markdown text. */
export function webexCall(p: ProviderContext, e: AgentEvent): HttpCall {
  const lines = [`${failed(e) ? "💣" : "✅"} **${objectRef(e)}**`, e.message];
  for (const [k, v] of Object.entries(e.metadata)) lines.push(`>**${k}**: ${v}`);
  return jsonCall(
    requireAddress(p, "the messages API URL (https://webexapis.com/v1/messages)"),
    { roomId: requireChannel(p, "the room id in spec.channel"), markdown: lines.join("\n") + "\n" },
    { authorization: `Bearer ${requireToken(p, "a bot access token")}` },
  );
}

/** Characters Telegram's MarkdownV2 needs escaped outside entities. */
const TELEGRAM_SPECIAL = /[\\_*\[\]()~`>#+\-=|{}.!]/g;

function telegramEscape(text: string): string {
  return text.replace(TELEGRAM_SPECIAL, (c) => `\\${c}`);
}

/**
 * Telegram Bot API sendMessage. The channel is a chat id or @channel, optionally
 * `<chat>:<thread id>` for a forum topic. The token is part of the URL path, so the URL is
 * never logged (send.ts names only the provider).
 */
export function telegramCall(p: ProviderContext, e: AgentEvent): HttpCall {
  const o = e.involvedObject;
  const heading = `${failed(e) ? "🚨" : "💫"} ${o.kind.toLowerCase()}/${o.name}/${o.namespace}`;
  const metadata = Object.entries(e.metadata)
    .map(([k, v]) => `\\- *${telegramEscape(k)}*: ${telegramEscape(v)}\n`).join("");
  const channel = requireChannel(p, "the chat id or @channel in spec.channel");
  const colon = channel.indexOf(":");
  const body: Record<string, string> = {
    chat_id: colon >= 0 ? channel.slice(0, colon) : channel,
    text: `*${telegramEscape(heading)}*\n${telegramEscape(e.message)}\n${metadata}`,
    parse_mode: "MarkdownV2",
  };
  if (colon >= 0) body.message_thread_id = channel.slice(colon + 1);
  const api = (p.address ?? "https://api.telegram.org").replace(/\/+$/, "");
  return jsonCall(`${api}/bot${requireToken(p, "the bot token")}/sendMessage`, body);
}

/**
 * Matrix client-server API: an m.room.message text event, PUT with a transaction id. The id is
 * a digest of the event, so a retried request is taken once by the homeserver.
 */
export async function matrixCall(p: ProviderContext, e: AgentEvent): Promise<HttpCall> {
  const homeserver = requireAddress(p, "the homeserver URL").replace(/\/+$/, "");
  const room = requireChannel(p, "the room id (!id:server) in spec.channel");
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-1", new TextEncoder().encode(JSON.stringify(e))),
  );
  const txn = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
  const metadata = Object.entries(e.metadata).map(([k, v]) => `- ${k}: ${v}\n`).join("");
  return jsonCall(
    `${homeserver}/_matrix/client/v3/rooms/${encodeURIComponent(room)}/send/m.room.message/${txn}`,
    {
      msgtype: "m.text",
      body: `${failed(e) ? "🚨" : "💫"} ${objectRef(e)}\n${e.message}\n${metadata}`,
    },
    { authorization: `Bearer ${requireToken(p, "an access token")}` },
    "PUT",
  );
}

/** Lark (Feishu) custom bot webhook: an interactive message card. */
export function larkCall(p: ProviderContext, e: AgentEvent): HttpCall {
  const metadata = Object.entries(e.metadata).map(([k, v]) => `${k}: ${v}\n`).join("");
  return jsonCall(requireAddress(p, "the bot webhook URL"), {
    msg_type: "interactive",
    card: {
      config: { wide_screen_mode: true },
      header: {
        title: { tag: "plain_text", content: `${failed(e) ? "🚨" : "💫"} ${objectRef(e)}` },
        template: failed(e) ? "red" : "turquoise",
      },
      elements: [{
        tag: "div",
        text: { tag: "lark_md", content: `**${e.message}**\n\n${metadata}` },
      }],
    },
  });
}

/**
 * Zulip: POST /api/v1/messages (form-encoded) to a stream and topic given as
 * `spec.channel: <stream>/<topic>`, with the bot's email and API key as basic auth.
 */
export function zulipCall(p: ProviderContext, e: AgentEvent): HttpCall {
  const server = requireUrl(p, "the Zulip server URL");
  const channel = requireChannel(p, "<stream>/<topic> in spec.channel");
  const slash = channel.indexOf("/");
  if (slash <= 0 || slash === channel.length - 1) {
    throw new ProviderSetupError(
      "spec.channel",
      `a zulip provider expects <stream>/<topic>, got ${JSON.stringify(channel)}`,
    );
  }
  const password = p.secret.password ?? p.secret.token;
  if (!p.username || !password) {
    throw new ProviderSetupError(
      "spec.secretRef",
      "a zulip provider needs the bot's email as username and its API key as 'password'",
    );
  }
  const o = e.involvedObject;
  const lines = [
    `${failed(e) ? "🚨" : "💫"} **${o.kind}/${o.name}.${o.namespace}**`,
    "",
    e.message,
  ];
  const meta = Object.entries(e.metadata);
  if (meta.length > 0) lines.push("", ...meta.map(([k, v]) => `- **${k}**: ${v}`));
  return {
    method: "POST",
    url: `${server.origin}/api/v1/messages`,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: basicAuth(p.username, password),
    },
    body: new URLSearchParams({
      type: "stream",
      to: channel.slice(0, slash),
      topic: channel.slice(slash + 1),
      content: lines.join("\n"),
    }).toString(),
  };
}
