// ImageRepository (image.toolkit.fluxcd.io): a container image repository whose tags are
// listed on an interval.
import {
  array,
  boolean,
  duration,
  enumOf,
  goRegexp,
  object,
  type ObjectOf,
  string,
} from "../schema/mod.ts";
import { current, type KindDefinition, older } from "./kind.ts";
import { accessFrom, secretRef, suspend } from "./references.ts";

const v1 = object({
  image: string({
    minLength: 1,
    pattern: {
      // A registry host may carry a port ("localhost:5000/app"); the repository path may not
      // carry a tag or digest.
      regexp: /^(?:[^\s@/]+\/)*[^\s@:/]+$/,
      expected: 'an image repository without tag or digest, such as "ghcr.io/org/app"',
    },
  }).doc("image repository, without tag or digest"),
  interval: duration().doc("how often the tags are listed"),
  timeout: duration({ hours: false }).defaultFromSiblings(
    (s) => s.interval as string,
    "the interval",
  ).doc("timeout of a scan"),
  secretRef: secretRef("Secret of type kubernetes.io/dockerconfigjson with registry credentials")
    .optional(),
  proxySecretRef: secretRef("Secret with the proxy address, username and password").optional(),
  serviceAccountName: string({ maxLength: 253 }).optional().doc(
    "service account whose image pull secrets are used",
  ),
  certSecretRef: secretRef("Secret with tls.crt, tls.key and/or ca.crt").optional(),
  suspend: suspend(),
  accessFrom: accessFrom(),
  exclusionList: array(goRegexp(), { maxItems: 25 }).default(["^.*\\.sig$"]).doc(
    "regexps of tags that are never stored",
  ),
  provider: enumOf("generic", "aws", "azure", "gcp").default("generic").doc(
    "authentication provider; generic reads secretRef",
  ),
  insecure: boolean().default(false).doc("allow plain HTTP registries"),
});

export type ImageRepositorySpec = ObjectOf<typeof v1.shape>;

export const imageRepositoryKind: KindDefinition<"ImageRepository", ImageRepositorySpec> = {
  kind: "ImageRepository",
  description: "A container image repository whose tags are listed on an interval.",
  specRequired: true,
  versions: [
    current("image.toolkit.fluxcd.io/v1", v1),
    older("image.toolkit.fluxcd.io/v1beta2", v1, (spec) => spec, ["Same fields as v1."]),
    older("image.toolkit.fluxcd.io/v1beta1", v1, (spec) => spec, ["Same fields as v1."]),
  ],
};
