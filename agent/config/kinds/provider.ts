// Provider (notification.toolkit.fluxcd.io): where events go: a generic webhook, Slack,
// Microsoft Teams, a Git forge's commit status, and so on.
import { duration, enumOf, object, type ObjectOf, string } from "../schema/mod.ts";
import { current, type KindDefinition, older } from "./kind.ts";
import { secretRef, suspend } from "./references.ts";

/** The types that post commit statuses on a Git forge rather than send a message. */
export const COMMIT_STATUS_TYPES = [
  "github",
  "gitlab",
  "gitea",
  "bitbucketserver",
  "bitbucket",
  "azuredevops",
] as const;

/** Every type Flux's Provider kind accepts, in Flux's order. */
export const PROVIDER_TYPES = [
  "slack",
  "discord",
  "msteams",
  "rocket",
  "generic",
  "generic-hmac",
  ...COMMIT_STATUS_TYPES,
  "googlechat",
  "googlepubsub",
  "webex",
  "sentry",
  "azureeventhub",
  "telegram",
  "lark",
  "matrix",
  "opsgenie",
  "alertmanager",
  "grafana",
  "githubdispatch",
  "githubpullrequestcomment",
  "pagerduty",
  "datadog",
  "nats",
  "zulip",
  "otel",
] as const;

// Types whose services are reached through an SDK or a non-HTTP protocol skiff does not carry:
// refused at load time, so a Provider is never silently dropped.
const UNSUPPORTED_TYPES: Record<string, string> = {
  googlepubsub: "it publishes through Google Cloud's Pub/Sub client",
  azureeventhub: "it publishes through Azure Event Hubs' AMQP client",
  sentry: "it reports through the Sentry SDK",
  nats: "it publishes over the NATS protocol",
  otel: "it exports through the OpenTelemetry SDK",
  githubpullrequestcomment: "pull request comments are not implemented",
};

const v1 = object({
  type: enumOf(...PROVIDER_TYPES).doc(
    "which service events are sent to; googlepubsub, azureeventhub, sentry, nats, otel and githubpullrequestcomment are refused (no client in skiff)",
  ),
  interval: duration().optional().doc("deprecated and unused"),
  channel: string({ maxLength: 2048 }).optional().doc("destination channel"),
  username: string({ maxLength: 2048 }).optional().doc("name events are posted under"),
  address: string({ maxLength: 2048 }).optional().doc(
    "endpoint: an HTTP(S) URL for webhooks, a project or repository for others",
  ),
  timeout: duration({ hours: false }).default("15s").doc("timeout of sending an event"),
  proxy: string({
    maxLength: 2048,
    pattern: { regexp: /^(http|https):\/\/.*$/, expected: "an http:// or https:// URL" },
  }).optional().doc("deprecated: HTTP(S) proxy URL; use proxySecretRef"),
  proxySecretRef: secretRef("Secret with the proxy address, username and password").optional(),
  secretRef: secretRef("Secret with the address, token or credentials").optional(),
  serviceAccountName: string().optional().doc("service account for cloud workload identity"),
  certSecretRef: secretRef("Secret with ca.crt and/or tls.crt and tls.key").optional(),
  suspend: suspend(),
  commitStatusExpr: string().optional().doc(
    "CEL expression making the commit status key; refused by skiff, which has no CEL evaluator",
  ),
}).refine((spec, path, ctx) => {
  const unsupported = UNSUPPORTED_TYPES[spec.type];
  if (unsupported) {
    ctx.report(
      `${path}.type`,
      `provider type ${spec.type} is not supported by skiff (${unsupported}); use a generic webhook or another type`,
    );
  }
  if (
    spec.commitStatusExpr !== undefined &&
    !(COMMIT_STATUS_TYPES as readonly string[]).includes(spec.type)
  ) {
    ctx.report(
      `${path}.commitStatusExpr`,
      `is only supported for the ${COMMIT_STATUS_TYPES.join(", ")} provider types`,
    );
  } else if (spec.commitStatusExpr !== undefined) {
    ctx.report(
      `${path}.commitStatusExpr`,
      "is not supported by skiff (it has no CEL evaluator); remove it to use Flux's default key <kind>/<name>/<provider id>",
    );
  }
});

export type ProviderSpec = ObjectOf<typeof v1.shape>;

export const providerKind: KindDefinition<"Provider", ProviderSpec> = {
  kind: "Provider",
  description: "Where events are sent: a webhook, a chat service or a Git forge's commit status.",
  specRequired: true,
  versions: [
    current("notification.toolkit.fluxcd.io/v1", v1),
    older("notification.toolkit.fluxcd.io/v1beta3", v1, (spec) => spec, ["Same fields as v1."]),
  ],
};
