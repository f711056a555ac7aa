// HelmRepository (source.toolkit.fluxcd.io): a Helm chart repository, either HTTP with an
// index.yaml or an OCI registry.
import { boolean, duration, enumOf, object, type ObjectOf, url } from "../schema/mod.ts";
import { current, type KindDefinition, older } from "./kind.ts";
import { accessFrom, secretRef, suspend } from "./references.ts";

const v1 = object({
  url: url("http", "https", "oci").doc("repository URL; oci:// when type is oci"),
  secretRef: secretRef("Secret with username and password").optional(),
  certSecretRef: secretRef("Secret with tls.crt, tls.key and/or ca.crt").optional(),
  passCredentials: boolean().default(false).doc(
    "send the credentials to chart hosts other than the repository's",
  ),
  interval: duration().default("1m").doc("how often the index is fetched"),
  insecure: boolean().default(false).doc("allow plain HTTP (type oci only)"),
  timeout: duration({ hours: false }).default("60s").doc("timeout of index fetches and pulls"),
  suspend: suspend(),
  accessFrom: accessFrom(),
  type: enumOf("default", "oci").default("default").doc("default (HTTP index) or oci"),
  provider: enumOf("generic", "aws", "azure", "gcp").default("generic").doc(
    "authentication provider (type oci only)",
  ),
}).refine((spec, path, ctx) => {
  const isOci = spec.url.startsWith("oci://");
  if (isOci !== (spec.type === "oci")) {
    ctx.report(
      `${path}.url`,
      isOci
        ? "an oci:// URL needs type: oci"
        : `type oci needs an oci:// URL, got ${JSON.stringify(spec.url)}`,
    );
  }
});

export type HelmRepositorySpec = ObjectOf<typeof v1.shape>;

export const helmRepositoryKind: KindDefinition<"HelmRepository", HelmRepositorySpec> = {
  kind: "HelmRepository",
  description: "A Helm chart repository: HTTP(S) with an index.yaml, or an OCI registry.",
  specRequired: true,
  versions: [
    current("source.toolkit.fluxcd.io/v1", v1),
    older("source.toolkit.fluxcd.io/v1beta2", v1, (spec) => spec, ["Same fields as v1."]),
  ],
};
