import assert from "node:assert/strict";
import { type HttpCall, plannedCalls, type ProviderContext } from "../../../agent/events/mod.ts";
import { fixtureEvent, providerContext } from "./event_fixture.ts";

async function calls(p: ProviderContext, severity: "info" | "error" = "info"): Promise<HttpCall[]> {
  const planned = await plannedCalls(
    p,
    fixtureEvent({
      severity,
      reason: severity === "error" ? "BuildFailed" : "ReconciliationSucceeded",
      message: severity === "error" ? "kustomize build failed" : "Applied revision: main@sha1:abc",
      metadata: { revision: "main@sha1:abc", summary: "prod" },
    }),
  );
  return planned.calls;
}

async function one(p: ProviderContext, severity: "info" | "error" = "info"): Promise<HttpCall> {
  const list = await calls(p, severity);
  assert.equal(list.length, 1);
  return list[0];
}

Deno.test("rocket takes Slack's attachments on its webhook URL", async () => {
  const call = await one(
    providerContext("rocket", { address: "https://chat.example/hooks/x" }),
    "error",
  );
  assert.equal(call.url, "https://chat.example/hooks/x");
  const body = JSON.parse(call.body);
  assert.equal(body.attachments[0].color, "danger");
  assert.equal(body.attachments[0].author_name, "Kustomization/flux-system/apps");
});

Deno.test("slack sends the bot token for chat.postMessage", async () => {
  const call = await one(
    providerContext(
      "slack",
      { address: "https://slack.com/api/chat.postMessage", channel: "ops" },
      {
        token: "xoxb-1",
      },
    ),
  );
  assert.equal(call.headers.authorization, "Bearer xoxb-1");
  assert.equal(JSON.parse(call.body).channel, "ops");
});

Deno.test("webex posts markdown to the room with the bot token", async () => {
  const call = await one(
    providerContext("webex", { address: "https://webexapis.com/v1/messages", channel: "room-1" }, {
      token: "bot",
    }),
  );
  assert.equal(call.url, "https://webexapis.com/v1/messages");
  assert.equal(call.headers.authorization, "Bearer bot");
  assert.deepEqual(JSON.parse(call.body), {
    roomId: "room-1",
    markdown: "✅ **kustomization/apps.flux-system**\nApplied revision: main@sha1:abc\n" +
      ">**revision**: main@sha1:abc\n>**summary**: prod\n",
  });
});

Deno.test("telegram sendMessage: MarkdownV2 escaped, chat and thread from the channel", async () => {
  const call = await one(
    providerContext("telegram", { channel: "-100123:42" }, { token: "123:abc" }),
    "error",
  );
  assert.equal(call.url, "https://api.telegram.org/bot123:abc/sendMessage");
  assert.deepEqual(JSON.parse(call.body), {
    chat_id: "-100123",
    message_thread_id: "42",
    parse_mode: "MarkdownV2",
    text: "*🚨 kustomization/apps/flux\\-system*\nkustomize build failed\n" +
      "\\- *revision*: main@sha1:abc\n\\- *summary*: prod\n",
  });
});

Deno.test("matrix PUTs an m.text room message with a stable transaction id", async () => {
  const p = providerContext("matrix", {
    address: "https://matrix.org/",
    channel: "!room:matrix.org",
  }, {
    token: "mx",
  });
  const call = await one(p);
  assert.equal(call.method, "PUT");
  assert.match(
    call.url,
    /^https:\/\/matrix\.org\/_matrix\/client\/v3\/rooms\/!room%3Amatrix\.org\/send\/m\.room\.message\/[0-9a-f]{40}$/,
  );
  assert.equal((await one(p)).url, call.url, "a retry of the same event reuses the id");
  assert.equal(call.headers.authorization, "Bearer mx");
  assert.deepEqual(JSON.parse(call.body), {
    msgtype: "m.text",
    body: "💫 kustomization/apps.flux-system\nApplied revision: main@sha1:abc\n" +
      "- revision: main@sha1:abc\n- summary: prod\n",
  });
});

Deno.test("lark posts an interactive card coloured by severity", async () => {
  const call = await one(
    providerContext("lark", { address: "https://open.larksuite.com/hook/x" }),
    "error",
  );
  const body = JSON.parse(call.body);
  assert.equal(body.msg_type, "interactive");
  assert.deepEqual(body.card.header, {
    title: { tag: "plain_text", content: "🚨 kustomization/apps.flux-system" },
    template: "red",
  });
  assert.deepEqual(body.card.elements, [{
    tag: "div",
    text: {
      tag: "lark_md",
      content: "**kustomize build failed**\n\nrevision: main@sha1:abc\nsummary: prod\n",
    },
  }]);
});

Deno.test("zulip posts a form to /api/v1/messages with stream, topic and basic auth", async () => {
  const call = await one(
    providerContext("zulip", {
      address: "https://zulip.example.com/whatever",
      channel: "ops/flux",
      username: "bot@zulip.example.com",
    }, { password: "key" }),
  );
  assert.equal(call.url, "https://zulip.example.com/api/v1/messages");
  assert.equal(call.headers["content-type"], "application/x-www-form-urlencoded");
  assert.equal(call.headers.authorization, `Basic ${btoa("bot@zulip.example.com:key")}`);
  const form = new URLSearchParams(call.body);
  assert.equal(form.get("type"), "stream");
  assert.equal(form.get("to"), "ops");
  assert.equal(form.get("topic"), "flux");
  assert.match(form.get("content")!, /^💫 \*\*Kustomization\/apps\.flux-system\*\*\n\nApplied/);
  await assert.rejects(
    () =>
      plannedCalls(
        providerContext("zulip", { address: "https://z", channel: "ops" }, { password: "k" }),
        fixtureEvent(),
      ),
    /<stream>\/<topic>/,
  );
});

Deno.test("alertmanager gets one firing alert with Flux's labels and annotations", async () => {
  const call = await one(
    providerContext("alertmanager", { address: "https://am.example/api/v2/alerts" }, {
      token: "am",
    }),
    "error",
  );
  assert.equal(call.headers.authorization, "Bearer am");
  assert.deepEqual(JSON.parse(call.body), [{
    status: "firing",
    labels: {
      revision: "main@sha1:abc",
      alertname: "FluxKustomizationBuildfailed",
      severity: "error",
      reason: "BuildFailed",
      kind: "Kustomization",
      name: "apps",
      namespace: "flux-system",
      reportingcontroller: "skiff",
    },
    annotations: { message: "kustomize build failed", summary: "prod" },
    startsAt: "2026-01-02T03:04:05Z",
  }]);
});

Deno.test("grafana gets an annotation tagged flux, the metadata and the object", async () => {
  const call = await one(
    providerContext("grafana", {
      address: "https://grafana.example/api/annotations",
      username: "u",
    }, {
      password: "p",
    }),
  );
  assert.equal(call.headers.authorization, `Basic ${btoa("u:p")}`);
  assert.deepEqual(JSON.parse(call.body), {
    time: Date.parse("2026-01-02T03:04:05.678Z"),
    text: "kustomization/apps.flux-system",
    tags: [
      "flux",
      "skiff",
      "revision: main@sha1|abc",
      "summary: prod",
      "kind: Kustomization",
      "name: apps",
      "namespace: flux-system",
    ],
  });
});

Deno.test("opsgenie creates an alert with a GenieKey and the metadata as details", async () => {
  const call = await one(
    providerContext("opsgenie", { address: "https://api.opsgenie.com/v2/alerts" }, { token: "og" }),
    "error",
  );
  assert.equal(call.headers.authorization, "GenieKey og");
  assert.deepEqual(JSON.parse(call.body), {
    message: "Kustomization/apps",
    description: "kustomize build failed",
    details: { revision: "main@sha1:abc", summary: "prod", severity: "error" },
  });
});

Deno.test("pagerduty: errors trigger, info resolves and adds a change event", async () => {
  const p = providerContext("pagerduty", {
    address: "https://events.pagerduty.com/ignored",
    channel: "rk",
  });
  const [trigger] = await calls(p, "error");
  assert.equal(trigger.url, "https://events.pagerduty.com/v2/enqueue");
  assert.deepEqual(JSON.parse(trigger.body), {
    routing_key: "rk",
    event_action: "trigger",
    dedup_key: "Kustomization/flux-system/apps",
    payload: {
      summary: "build failed: prod/kustomization/apps",
      source: "Flux skiff",
      severity: "error",
      timestamp: "2026-01-02T03:04:05Z",
      component: "apps",
      group: "Kustomization",
      custom_details: {
        message: "kustomize build failed",
        metadata: { revision: "main@sha1:abc", summary: "prod" },
      },
    },
  });
  const [resolve, change] = await calls(p, "info");
  assert.deepEqual(JSON.parse(resolve.body), {
    routing_key: "rk",
    event_action: "resolve",
    dedup_key: "Kustomization/flux-system/apps",
  });
  assert.equal(change.url, "https://events.pagerduty.com/v2/change/enqueue");
  assert.equal(
    JSON.parse(change.body).payload.summary,
    "reconciliation succeeded: prod/kustomization/apps",
  );
});

Deno.test("datadog posts an event with the API key header and lower-cased tags", async () => {
  const call = await one(
    providerContext("datadog", { address: "https://api.datadoghq.eu" }, { token: "dd" }),
    "error",
  );
  assert.equal(call.url, "https://api.datadoghq.eu/api/v1/events");
  assert.equal(call.headers["dd-api-key"], "dd");
  assert.deepEqual(JSON.parse(call.body), {
    title: "Events from the Kustomization apps/flux-system",
    text: "kustomize build failed",
    tags: [
      "flux_reporting_controller:skiff",
      "flux_reason:buildfailed",
      "kube_kind:kustomization",
      "kube_name:apps",
      "kube_namespace:flux-system",
      "revision:main@sha1:abc",
      "summary:prod",
    ],
    source_type_name: "fluxcd",
    date_happened: Math.floor(Date.parse("2026-01-02T03:04:05.678Z") / 1000),
    alert_type: "error",
  });
});

Deno.test("githubdispatch sends a repository_dispatch with the event as client_payload", async () => {
  const call = await one(
    providerContext("githubdispatch", { address: "https://github.com/org/app" }, { token: "gh" }),
  );
  assert.equal(call.url, "https://api.github.com/repos/org/app/dispatches");
  assert.equal(call.headers.authorization, "Bearer gh");
  const body = JSON.parse(call.body);
  assert.equal(body.event_type, "Kustomization/apps.flux-system");
  assert.equal(body.client_payload.reason, "ReconciliationSucceeded");
  assert.equal(body.client_payload.metadata.summary, "prod");
});

Deno.test("generic webhooks carry the Secret's headers; chat services do not", async () => {
  const headers = { "x-team": "platform" };
  const generic = await one(providerContext("generic", { address: "https://hook" }, { headers }));
  assert.equal(generic.headers["x-team"], "platform");
  const slack = await one(providerContext("slack", { address: "https://hook" }, { headers }));
  assert.equal(slack.headers["x-team"], undefined);
});
