// ImageUpdateAutomation (image.toolkit.fluxcd.io): rewrite image references marked with
// `# {"$imagepolicy": "ns:name"}` in a Git checkout to the policies' latest images, then
// commit and push.
import {
  duration,
  enumOf,
  mapOf,
  object,
  objectName,
  type ObjectOf,
  semverRange,
  string,
} from "../schema/mod.ts";
import { current, type KindDefinition, older } from "./kind.ts";
import { labelSelector, refNamespace, secretRef, suspend } from "./references.ts";

const v1 = object({
  sourceRef: object({
    apiVersion: string().optional().doc("API version of the GitRepository"),
    kind: enumOf("GitRepository").default("GitRepository").doc("kind of the source"),
    name: objectName().doc("name of the GitRepository"),
    namespace: refNamespace(),
  }).doc("the GitRepository checked out, committed to and pushed"),
  git: object({
    checkout: object({
      ref: object({
        branch: string().optional().doc("branch"),
        tag: string().optional().doc("tag"),
        semver: semverRange().optional().doc("semver range of tags"),
        name: string().optional().doc("full reference name"),
        commit: string().optional().doc("commit SHA"),
      }).doc("what to check out"),
    }).optional().doc("what to check out (default: the GitRepository's ref)"),
    commit: object({
      author: object({
        name: string().optional().doc("author name"),
        email: string().doc("author email"),
      }).doc("commit author"),
      signingKey: object({
        secretRef: secretRef("Secret with an OpenPGP private key (git.asc)").optional(),
      }).optional().doc("sign commits with OpenPGP"),
      messageTemplate: string().optional().doc("Go template of the commit message"),
      messageTemplateValues: mapOf(string()).optional().doc("values available as .Values"),
    }).doc("how commits are made"),
    push: object({
      branch: string().optional().doc("branch to push to (default: the checked out branch)"),
      refspec: string().optional().doc("refspec to push"),
      options: mapOf(string()).optional().doc("Git push options"),
    }).optional().doc("where commits are pushed"),
  }).optional().doc("Git checkout, commit and push settings"),
  interval: duration().doc("how often the automation runs"),
  policySelector: labelSelector().optional().doc(
    "ImagePolicies considered (default: all in the namespace)",
  ),
  update: object({
    path: string().optional().doc("path in the checkout to update (default: the root)"),
    strategy: enumOf("Setters").default("Setters").doc("how files are updated"),
  }).default({ strategy: "Setters" }, '{strategy: "Setters"}').doc("what is updated and how"),
  suspend: suspend(),
});

export type ImageUpdateAutomationSpec = ObjectOf<typeof v1.shape>;

const v1beta1 = v1.without("policySelector");

export const imageUpdateAutomationKind: KindDefinition<
  "ImageUpdateAutomation",
  ImageUpdateAutomationSpec
> = {
  kind: "ImageUpdateAutomation",
  description:
    'Rewrites image references marked `# {"$imagepolicy": "ns:name"}` in Git to the latest images, commits and pushes.',
  specRequired: true,
  versions: [
    current("image.toolkit.fluxcd.io/v1", v1),
    older("image.toolkit.fluxcd.io/v1beta2", v1, (spec) => spec, ["Same fields as v1."]),
    older("image.toolkit.fluxcd.io/v1beta1", v1beta1, (spec) => spec, [
      "No `policySelector`: every ImagePolicy of the namespace is considered.",
      "Commit message templates read `.Updated` (v1beta1 data); the original apiVersion is kept in `origin.apiVersion` for the renderer.",
    ]),
  ],
};
