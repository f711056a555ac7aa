// ImagePolicy (image.toolkit.fluxcd.io): how the latest image of an ImageRepository is chosen:
// by semver range, alphabetical or numerical order, after an optional tag filter.
import {
  duration,
  enumOf,
  goRegexp,
  object,
  type ObjectOf,
  semverRange,
  string,
} from "../schema/mod.ts";
import { current, type KindDefinition, older } from "./kind.ts";
import { localRef, namespacedRef, suspend } from "./references.ts";

const order = () =>
  object({
    order: enumOf("asc", "desc").default("asc").doc(
      "asc picks the last tag in order (Z, 9), desc the first (A, 0)",
    ),
  });

const policy = object({
  semver: object({ range: semverRange().doc("semver range; the highest version wins") })
    .optional().doc("pick the highest semver tag in a range"),
  alphabetical: order().optional().doc("pick by alphabetical order"),
  numerical: order().optional().doc("pick by numerical order"),
}).refine((p, path, ctx) => {
  const chosen = [p.semver, p.alphabetical, p.numerical].filter((x) => x !== undefined).length;
  if (chosen !== 1) {
    ctx.report(
      path,
      `exactly one of semver, alphabetical or numerical must be set, got ${chosen}`,
    );
  }
}).doc("how the latest tag is chosen");

const filterTags = object({
  pattern: goRegexp().optional().doc("regexp (Go syntax) tags must match"),
  extract: string().optional().doc(
    'replacement (e.g. "$ts") whose result is compared instead of the tag (default: the tag)',
  ),
}).optional().doc("consider only tags matching a pattern");

const v1 = object({
  imageRepositoryRef: namespacedRef("ImageRepository").doc(
    "the ImageRepository whose tags are used",
  ),
  policy,
  filterTags,
  digestReflectionPolicy: enumOf("Always", "IfNotPresent", "Never").default("Never").doc(
    "when the latest image's digest is looked up",
  ),
  interval: duration().optional().doc(
    "how often the digest is refreshed (only with digestReflectionPolicy Always; default 10m)",
  ),
  suspend: suspend(),
}).refine((spec, path, ctx) => {
  if (spec.interval !== undefined && spec.digestReflectionPolicy !== "Always") {
    ctx.report(`${path}.interval`, "is only accepted when digestReflectionPolicy is Always");
  }
});

export type ImagePolicySpec = ObjectOf<typeof v1.shape>;

// Before v1 the policy had no digest reflection; v1beta1 could not point across namespaces.
const v1beta2 = v1.without("digestReflectionPolicy", "interval");
const v1beta1 = v1beta2.extend({
  imageRepositoryRef: localRef("ImageRepository").doc("the ImageRepository, in this namespace"),
});

export const imagePolicyKind: KindDefinition<"ImagePolicy", ImagePolicySpec> = {
  kind: "ImagePolicy",
  description:
    "Chooses the latest image of an ImageRepository by semver, alphabetical or numerical order.",
  specRequired: true,
  versions: [
    current("image.toolkit.fluxcd.io/v1", v1),
    older(
      "image.toolkit.fluxcd.io/v1beta2",
      v1beta2,
      (spec) => ({ ...spec, digestReflectionPolicy: "Never" }),
      ["`digestReflectionPolicy` is `Never` (v1beta2 reports the tag only)."],
    ),
    older(
      "image.toolkit.fluxcd.io/v1beta1",
      v1beta1,
      (spec, ctx) => ({
        ...spec,
        imageRepositoryRef: { name: spec.imageRepositoryRef.name, namespace: ctx.namespace },
        digestReflectionPolicy: "Never",
      }),
      [
        "`imageRepositoryRef` has no namespace: it is the policy's own namespace.",
        "`digestReflectionPolicy` is `Never`.",
      ],
    ),
  ],
};
