// GitRepository (source.toolkit.fluxcd.io): a Git repository fetched at a branch, tag, semver
// tag range, ref name or commit, on an interval.
import {
  array,
  boolean,
  duration,
  enumOf,
  object,
  type ObjectOf,
  semverRange,
  string,
  url,
} from "../schema/mod.ts";
import { current, type KindDefinition, older } from "./kind.ts";
import { accessFrom, localRef, secretRef, suspend } from "./references.ts";

const gitRef = object({
  branch: string().sometimesFromSiblings(
    (ref) => ref.tag || ref.semver || ref.name || ref.commit ? undefined : "master",
    '"master" when no other field is set',
  ).doc("branch to check out"),
  tag: string().optional().doc("tag to check out; takes precedence over branch"),
  semver: semverRange().optional().doc(
    "semver range of tags; the highest match is checked out; takes precedence over tag",
  ),
  name: string().optional().doc(
    'full reference name ("refs/heads/main", "refs/pull/420/head"); takes precedence over branch, tag and semver',
  ),
  commit: string({
    pattern: {
      regexp: /^([0-9a-f]{40}|[0-9a-f]{64})$/,
      expected: "a full commit SHA (40 hex digits, or 64 for SHA-256)",
    },
  }).optional().doc("commit SHA; takes precedence over everything else"),
});

const v1 = object({
  url: url("http", "https", "ssh").doc("repository URL (http, https or ssh)"),
  secretRef: secretRef(
    "Secret with credentials: username and password, or bearerToken (HTTPS); ca.crt, and tls.crt with tls.key for a client certificate (HTTPS); identity and known_hosts (SSH)",
  ).optional(),
  provider: enumOf("generic", "aws", "azure", "github").optional().doc(
    "authentication provider; generic reads secretRef",
  ),
  serviceAccountName: string().optional().doc(
    "service account for the azure and aws providers",
  ),
  interval: duration().doc("how often the repository is fetched"),
  timeout: duration({ hours: false }).default("60s").doc("timeout of Git operations"),
  ref: gitRef.default({ branch: "master" }, '{branch: "master"}').doc(
    "what to check out",
  ),
  verify: object({
    mode: enumOf("head", "HEAD", "Tag", "TagAndHEAD").default("HEAD").doc(
      "which Git objects must carry a valid signature",
    ),
    secretRef: localRef("Secret").doc(
      "Secret with trusted public keys (.asc for PGP, .sshpub for SSH)",
    ),
  }).optional().doc("verify commit or tag signatures"),
  proxySecretRef: secretRef("Secret with the proxy address, username and password").optional(),
  ignore: string().optional().doc(".sourceignore-style patterns of files left out of the artifact"),
  suspend: suspend(),
  recurseSubmodules: boolean().default(false).doc("also fetch submodules"),
  include: array(object({
    repository: localRef("GitRepository").doc("the GitRepository whose files are included"),
    fromPath: string().optional().doc("path copied from (default: the root)"),
    toPath: string().optional().doc("path copied to (default: the repository's name)"),
  })).optional().doc("other GitRepositories whose files are copied into this artifact"),
  sparseCheckout: array(string()).optional().doc("directories to check out (default: all)"),
}).refine((spec, path, ctx) => {
  if (
    spec.serviceAccountName !== undefined && spec.provider !== "azure" && spec.provider !== "aws"
  ) {
    ctx.report(`${path}.serviceAccountName`, "can only be set when provider is azure or aws");
  }
});

export type GitRepositorySpec = ObjectOf<typeof v1.shape>;

const v1beta2 = v1.without("provider", "serviceAccountName", "proxySecretRef", "sparseCheckout")
  .extend({
    gitImplementation: enumOf("go-git", "libgit2").default("go-git").doc(
      "deprecated: skiff has one Git implementation",
    ),
    accessFrom: accessFrom(),
    verify: object({
      mode: enumOf("head").doc("only the HEAD commit is verified in v1beta2"),
      secretRef: localRef("Secret").doc("Secret with trusted PGP public keys"),
    }).optional().doc("verify the HEAD commit's signature"),
  });

export const gitRepositoryKind: KindDefinition<"GitRepository", GitRepositorySpec> = {
  kind: "GitRepository",
  description: "A Git repository fetched at a branch, tag, semver range or commit, on an interval.",
  specRequired: true,
  versions: [
    current("source.toolkit.fluxcd.io/v1", v1),
    older(
      "source.toolkit.fluxcd.io/v1beta2",
      v1beta2,
      ({ gitImplementation: _, accessFrom: __, ...rest }) => rest,
      [
        "`gitImplementation` and `accessFrom` are accepted and dropped.",
        '`verify.mode: head` maps to `"head"` (the same as `HEAD`).',
      ],
    ),
  ],
};
