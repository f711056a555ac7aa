// Provider (notification.toolkit.fluxcd.io): where events go: a generic webhook, Slack,
// Microsoft Teams, a Git forge's commit status, and so on.
import { duration, enumOf, object, type ObjectOf, string } from "../schema/mod.ts";
import { current, type KindDefinition, older } from "./kind.ts";
import { secretRef, suspend } from "./references.ts";

const PROVIDER_TYPES = [
  "slack",
  "discord",
  "msteams",
  "rocket",
  "generic",
  "generic-hmac",
  "github",
  "gitlab",
  "gitea",
  "bitbucketserver",
  "bitbucket",
  "azuredevops",
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

const COMMIT_STATUS_TYPES = [
  "github",
  "gitlab",
  "gitea",
  "bitbucketserver",
  "bitbucket",
  "azuredevops",
];

const v1 = object({
  type: enumOf(...PROVIDER_TYPES).doc("which service events are sent to"),
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
  commitStatusExpr: string().optional().doc("CEL expression making the commit status text"),
}).refine((spec, path, ctx) => {
  if (spec.commitStatusExpr !== undefined && !COMMIT_STATUS_TYPES.includes(spec.type)) {
    ctx.report(
      `${path}.commitStatusExpr`,
      `is only supported for the ${COMMIT_STATUS_TYPES.join(", ")} provider types`,
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
