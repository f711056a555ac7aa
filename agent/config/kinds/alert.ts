// Alert (notification.toolkit.fluxcd.io): which events of which objects are sent to a Provider.
import { array, enumOf, goRegexp, mapOf, object, type ObjectOf, string } from "../schema/mod.ts";
import { current, type KindDefinition, older } from "./kind.ts";
import { localRef, suspend } from "./references.ts";
import { NOTIFIABLE_KINDS } from "./receiver.ts";

const v1 = object({
  providerRef: localRef("Provider").doc("the Provider events are sent through"),
  eventSeverity: enumOf("info", "error").default("info").doc(
    "lowest severity sent (info sends everything)",
  ),
  eventSources: array(object({
    apiVersion: string().optional().doc("API version"),
    kind: enumOf(...NOTIFIABLE_KINDS).doc("kind of the objects watched"),
    name: string({ minLength: 1, maxLength: 253 }).doc('their name, or "*"'),
    namespace: string({ minLength: 1, maxLength: 63 }).optional().doc(
      "their namespace (default: the Alert's)",
    ),
    matchLabels: mapOf(string()).optional().doc('labels selecting objects when name is "*"'),
  })).doc("objects whose events are sent"),
  inclusionList: array(goRegexp()).optional().doc("regexps; only matching messages are sent"),
  eventMetadata: mapOf(string()).optional().doc("metadata added to every event"),
  exclusionList: array(goRegexp()).optional().doc("regexps; matching messages are dropped"),
  summary: string({ maxLength: 255 }).optional().doc("deprecated: use eventMetadata.summary"),
  suspend: suspend(),
});

export type AlertSpec = ObjectOf<typeof v1.shape>;

export const alertKind: KindDefinition<"Alert", AlertSpec> = {
  kind: "Alert",
  description: "Sends events of the selected objects to a Provider.",
  specRequired: true,
  versions: [
    current("notification.toolkit.fluxcd.io/v1", v1),
    older("notification.toolkit.fluxcd.io/v1beta3", v1, (spec) => spec, ["Same fields as v1."]),
  ],
};
