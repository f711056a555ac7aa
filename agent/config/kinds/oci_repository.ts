// OCIRepository (source.toolkit.fluxcd.io): an OCI artifact pulled from a registry by tag,
// semver range or digest.
import {
  array,
  boolean,
  duration,
  enumOf,
  goRegexp,
  object,
  type ObjectOf,
  semverRange,
  string,
  url,
} from "../schema/mod.ts";
import { current, type KindDefinition, older } from "./kind.ts";
import { secretRef, suspend } from "./references.ts";

// Flux's source timeouts accept no hours.
const sourceTimeout = () => duration({ hours: false }).default("60s");

const v1 = object({
  url: url("oci").doc("artifact repository URL (oci://registry/repository)"),
  ref: object({
    digest: string({
      pattern: {
        regexp: /^sha256:[0-9a-f]{64}$/,
        expected: "a digest such as sha256:<64 hex digits>",
      },
    }).optional().doc("digest to pull; takes precedence over semver and tag"),
    semver: semverRange().optional().doc("semver range of tags; the highest match is pulled"),
    semverFilter: goRegexp().optional().doc("regexp that tags must match before semver applies"),
    tag: string().optional().doc("tag to pull"),
  }).default({ tag: "latest" }, '{tag: "latest"}').doc("which artifact to pull"),
  layerSelector: object({
    mediaType: string().optional().doc("media type of the layer (default: the first layer)"),
    operation: enumOf("extract", "copy").default("extract").doc(
      "extract the layer's files, or copy the compressed layer as is",
    ),
  }).optional().doc("which layer of the artifact to use"),
  provider: enumOf("generic", "aws", "azure", "gcp").default("generic").doc(
    "authentication provider; skiff supports generic (secretRef) only",
  ),
  secretRef: secretRef("Secret of type kubernetes.io/dockerconfigjson with registry credentials")
    .optional(),
  verify: object({
    provider: enumOf("cosign", "notation").default("cosign").doc("signature technology"),
    secretRef: secretRef("Secret with trusted public keys").optional(),
    matchOIDCIdentity: array(object({
      issuer: goRegexp().doc("regexp the OIDC issuer must match"),
      subject: goRegexp().doc("regexp the OIDC subject must match"),
    })).optional().doc("keyless signatures: identities accepted"),
  }).optional().doc("verify the artifact's signature; refused: skiff verifies no signatures"),
  serviceAccountName: string().optional().doc(
    "service account whose image pull secrets are used; refused: use secretRef",
  ),
  certSecretRef: secretRef("Secret with tls.crt, tls.key and/or ca.crt").optional(),
  proxySecretRef: secretRef("Secret with the proxy address, username and password; refused for now")
    .optional(),
  interval: duration().doc("how often the registry is checked"),
  timeout: sourceTimeout().doc("timeout of registry operations"),
  ignore: string().optional().doc(".sourceignore-style patterns of files left out"),
  insecure: boolean().default(false).doc("allow plain HTTP registries"),
  suspend: suspend(),
}).refine((spec, path, ctx) => {
  // Accepting these and pulling anyway would deploy unverified or unauthenticated content.
  if (spec.verify !== undefined) {
    ctx.report(
      `${path}.verify`,
      `${spec.verify.provider} signature verification is not supported by skiff; ` +
        "remove spec.verify (or pin spec.ref.digest to content you trust)",
    );
  }
  if (spec.provider !== "generic") {
    ctx.report(
      `${path}.provider`,
      `${spec.provider} workload identity is not supported by skiff; use provider generic ` +
        "with spec.secretRef (a kubernetes.io/dockerconfigjson Secret)",
    );
  }
  // Not implemented yet: refusing them beats pulling without the credentials or proxy expected.
  if (spec.serviceAccountName !== undefined) {
    ctx.report(
      `${path}.serviceAccountName`,
      "image pull secrets of a service account are not supported by skiff; " +
        "reference the kubernetes.io/dockerconfigjson Secret in spec.secretRef instead",
    );
  }
  if (spec.proxySecretRef !== undefined) {
    ctx.report(
      `${path}.proxySecretRef`,
      "a proxy for OCI registries is not supported by skiff yet; remove spec.proxySecretRef",
    );
  }
});

export type OCIRepositorySpec = ObjectOf<typeof v1.shape>;

export const ociRepositoryKind: KindDefinition<"OCIRepository", OCIRepositorySpec> = {
  kind: "OCIRepository",
  description: "An OCI artifact (Kubernetes manifests or a Helm chart) pulled from a registry.",
  specRequired: true,
  versions: [
    current("source.toolkit.fluxcd.io/v1", v1),
    older("source.toolkit.fluxcd.io/v1beta2", v1, (spec) => spec, [
      "Same fields as v1.",
    ]),
  ],
};
