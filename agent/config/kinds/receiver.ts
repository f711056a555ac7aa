// Receiver (notification.toolkit.fluxcd.io): a webhook that makes skiff reconcile the listed
// objects now, instead of at their next interval.
import { array, duration, enumOf, mapOf, object, type ObjectOf, string } from "../schema/mod.ts";
import { current, type KindDefinition, older } from "./kind.ts";
import { localRef, suspend } from "./references.ts";

export const NOTIFIABLE_KINDS = [
  "Bucket",
  "GitRepository",
  "Kustomization",
  "HelmRelease",
  "HelmChart",
  "HelmRepository",
  "ImageRepository",
  "ImagePolicy",
  "ImageUpdateAutomation",
  "OCIRepository",
] as const;

const RECEIVER_TYPES = [
  "generic",
  "generic-hmac",
  "github",
  "gitlab",
  "bitbucket",
  "harbor",
  "dockerhub",
  "quay",
  "gcr",
  "nexus",
  "acr",
  "cdevents",
] as const;

const v1 = object({
  type: enumOf(...RECEIVER_TYPES).doc(
    "the webhook sender, which decides how requests are verified",
  ),
  interval: duration().default("10m").doc("how often the Receiver's Secret is re-read"),
  events: array(string()).optional().doc('events handled, e.g. "push" (default: all)'),
  resources: array(object({
    apiVersion: string().optional().doc("API version"),
    kind: enumOf(...NOTIFIABLE_KINDS).doc("kind of the object to reconcile"),
    name: string({ minLength: 1, maxLength: 253 }).doc('its name, or "*" with matchLabels'),
    namespace: string({ minLength: 1, maxLength: 63 }).optional().doc(
      "its namespace (default: the Receiver's)",
    ),
    matchLabels: mapOf(string()).optional().doc('labels selecting objects when name is "*"'),
  })).doc("objects reconciled when a valid request arrives"),
  resourceFilter: string().optional().doc("CEL expression filtering resources per request"),
  secretRef: localRef("Secret").doc("Secret whose token key verifies requests and names the URL"),
  suspend: suspend(),
});

export type ReceiverSpec = ObjectOf<typeof v1.shape>;

export const receiverKind: KindDefinition<"Receiver", ReceiverSpec> = {
  kind: "Receiver",
  description: "A webhook endpoint that triggers an immediate reconcile of the listed objects.",
  specRequired: true,
  versions: [
    current("notification.toolkit.fluxcd.io/v1", v1),
    older("notification.toolkit.fluxcd.io/v1beta3", v1, (spec) => spec, ["Same fields as v1."]),
  ],
};
