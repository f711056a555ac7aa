// HelmRelease (helm.toolkit.fluxcd.io): a Helm chart rendered with values and installed,
// upgraded, tested, rolled back and uninstalled the way Helm does it.
import { createHash } from "node:crypto";
import {
  anyJson,
  array,
  boolean,
  type CheckContext,
  duration,
  enumOf,
  freeObject,
  integer,
  type JsonValue,
  mapOf,
  namespaceName,
  object,
  objectName,
  type ObjectOf,
  semverRange,
  string,
} from "../schema/mod.ts";
import type { KindVersion } from "./kind.ts";
import { type KindDefinition, older } from "./kind.ts";
import {
  commonMetadata,
  kubeConfigRef,
  kustomizeImages,
  kustomizePatches,
  kustomizeSelector,
  refNamespace,
  secretRef,
  sourceRef,
  suspend,
} from "./references.ts";

/**
 * Flux's ShortenName: a composed release name longer than Helm's 53 characters becomes its
 * first 40 characters, "-" and the first 12 hex digits of its SHA-256.
 */
function shortenReleaseName(name: string): string {
  if (name.length <= 53) return name;
  return `${name.slice(0, 40)}-${createHash("sha256").update(name).digest("hex").slice(0, 12)}`;
}

const off = (what: string) => boolean().default(false).doc(what);
const actionTimeout = () =>
  duration().optional().doc("timeout of each Kubernetes operation (default: spec.timeout)");
const crdsPolicy = () => enumOf("Skip", "Create", "CreateReplace");

const chartTemplate = (sourceKinds: ("HelmRepository" | "GitRepository" | "Bucket")[]) =>
  object({
    metadata: object({
      labels: mapOf(string()).optional().doc("labels of the generated HelmChart"),
      annotations: mapOf(string()).optional().doc("annotations of the generated HelmChart"),
    }).optional().doc(
      "metadata of the generated HelmChart; accepted, no effect (skiff generates no HelmChart)",
    ),
    spec: object({
      chart: string({ minLength: 1, maxLength: 2048 }).doc(
        "chart name (HelmRepository) or path (GitRepository)",
      ),
      version: semverRange().default("*").doc("semver range of chart versions; the highest wins"),
      sourceRef: sourceRef(sourceKinds).doc("the source holding the chart"),
      interval: duration().optional().doc(
        "how often the chart is checked (default: spec.interval)",
      ),
      reconcileStrategy: enumOf("ChartVersion", "Revision").default("ChartVersion").doc(
        "what makes a new chart artifact: a new version, or any new source revision",
      ),
      valuesFiles: array(string()).optional().doc("values files of the chart merged in order"),
      valuesFile: string().optional().doc("deprecated: merged before valuesFiles"),
      ignoreMissingValuesFiles: off("skip values files that do not exist"),
      verify: object({
        provider: enumOf("cosign", "notation").default("cosign").doc("signature technology"),
        secretRef: secretRef("Secret with trusted public keys").optional(),
      }).optional().doc(
        "verify the chart's signature (OCI only); refused: skiff verifies no signatures",
      ),
    }).doc("the chart to use"),
    kind: enumOf("HelmChart", "OCIRepository").optional().doc(
      "kind of the source generated from the template; refused: OCIRepository (use chartRef)",
    ),
  }).optional().doc("the chart, from a HelmRepository, GitRepository or Bucket");

/** Flux's install/upgrade strategy: remediate (the default) or retry a failed action. */
const strategy = () =>
  object({
    name: enumOf("RemediateOnFailure", "RetryOnFailure").doc(
      "remediate per remediation, or retry (a failed install as an upgrade) without remediating",
    ),
    retryInterval: duration().optional().doc(
      "time between retries (RetryOnFailure only; default 5m)",
    ),
  }).optional().doc("what a failed action leads to (default RemediateOnFailure)");

const takeOwnership = () =>
  boolean().default(false).doc(
    "do not take over existing objects; refused when true: server-side apply always takes them",
  );

const remediation = {
  retries: integer().default(0).doc("attempts after a failure; negative means unlimited"),
  ignoreTestFailures: boolean().optional().doc(
    "do not remediate failed tests (default: test.ignoreFailures)",
  ),
};

const postRenderers = () =>
  array(object({
    kustomize: object({
      patches: kustomizePatches(),
      patchesStrategicMerge: array(freeObject()).optional().doc(
        "deprecated: strategic merge patches (moved to patches)",
      ),
      patchesJson6902: array(object({
        target: kustomizeSelector().doc("the object patched"),
        patch: array(object({
          op: enumOf("test", "remove", "add", "replace", "move", "copy").doc("operation"),
          path: string().doc("JSON pointer"),
          from: string().optional().doc("source JSON pointer (move, copy)"),
          value: anyJson().optional().doc("value (add, replace, test)"),
        })).doc("JSON 6902 operations"),
      })).optional().doc("deprecated: JSON 6902 patches (moved to patches)"),
      images: kustomizeImages(),
    }).optional().doc("Kustomize patches and image overrides applied to the rendered chart"),
  })).optional().doc("post-renderers applied in order to the rendered manifests");

const ssaMode = () =>
  enumOf("enabled", "disabled", "auto").optional().doc(
    "server-side apply; skiff always uses it, disabled is refused",
  );

const v2Shape = object({
  chart: chartTemplate(["HelmRepository", "GitRepository", "Bucket"]),
  chartRef: sourceRef(["OCIRepository", "HelmChart"]).optional().doc(
    "a source holding the chart artifact (instead of chart)",
  ),
  interval: duration().doc("how often the release is reconciled"),
  kubeConfig: kubeConfigRef().doc("apply to a remote cluster; refused: skiff applies to its own"),
  suspend: suspend(),
  releaseName: string({ minLength: 1, maxLength: 53 }).defaultFromSiblings(
    (s, ctx) =>
      shortenReleaseName(s.targetNamespace ? `${s.targetNamespace}-${ctx.name}` : ctx.name),
    "[targetNamespace-]name, shortened to 53 characters with a hash as Flux does",
  ).doc("Helm release name"),
  targetNamespace: namespaceName().defaultFromSiblings(
    (_, ctx) => ctx.namespace,
    "the object's namespace",
  ).doc("namespace the chart is installed into"),
  storageNamespace: namespaceName().defaultFromSiblings(
    (_, ctx) => ctx.namespace,
    "the object's namespace",
  ).doc("namespace of the Helm release Secrets"),
  dependsOn: array(object({
    name: objectName().doc("name of the HelmRelease"),
    namespace: refNamespace(),
    readyExpr: string().optional().doc("CEL readiness expression; refused: no CEL evaluator"),
  })).optional().doc("HelmReleases that must be ready before this one is reconciled"),
  timeout: duration().default("5m").doc("timeout of each Kubernetes operation of a Helm action"),
  maxHistory: integer({ min: 0 }).default(5).doc("release revisions kept; 0 is unlimited"),
  serviceAccountName: string({ minLength: 1, maxLength: 253 }).optional().doc(
    "service account impersonated when applying",
  ),
  persistentClient: boolean().default(true).doc(
    "reuse one Kubernetes client per reconcile; accepted, no effect (skiff always reuses one)",
  ),
  commonMetadata: commonMetadata(),
  waitStrategy: object({
    name: enumOf("poller", "legacy").doc("how readiness is waited for; refused: legacy"),
  }).optional().doc("skiff waits with kstatus rules, Flux's poller strategy"),
  healthCheckExprs: array(freeObject()).optional().doc(
    "CEL health checks for custom resources; refused: skiff has no CEL evaluator",
  ),
  postRenderStrategy: enumOf("nohooks", "combined", "separate").optional().doc(
    "what post-renderers see; skiff post-renders templates only (nohooks); others refused",
  ),
  driftDetection: object({
    mode: enumOf("enabled", "warn", "disabled").default("disabled").doc(
      "correct drift, only warn about it, or ignore it",
    ),
    ignore: array(object({
      paths: array(string()).doc("JSON pointers ignored"),
      target: kustomizeSelector().optional().doc("objects the rule applies to"),
    })).optional().doc("fields ignored when detecting drift"),
  }).default({}).doc("compare the cluster with the release's manifest"),
  install: object({
    timeout: actionTimeout(),
    remediation: object({
      ...remediation,
      remediateLastFailure: off("remediate the last failure when no retries remain"),
    }).default({}).doc("what happens when install fails (uninstall between retries)"),
    disableWait: off("do not wait for resources to be ready"),
    disableWaitForJobs: off("do not wait for Jobs to complete"),
    disableHooks: off("skip hooks"),
    disableOpenAPIValidation: off(
      "skip client-side OpenAPI validation; accepted, no effect: the API server validates applies",
    ),
    disableSchemaValidation: off("skip values.schema.json validation"),
    replace: off("reuse the name of a deleted (history kept) or failed release"),
    strategy: strategy(),
    disableTakeOwnership: takeOwnership(),
    serverSideApply: boolean().optional().doc(
      "apply with server-side apply; skiff always does, false is refused",
    ),
    skipCRDs: off("deprecated: use crds: Skip"),
    crds: crdsPolicy().defaultFromSiblings(
      (s) => s.skipCRDs ? "Skip" : "Create",
      '"Create" ("Skip" when skipCRDs)',
    ).doc("CRDs of the chart's crds/ directory: skip, create, or create and replace"),
    createNamespace: off("create the target namespace"),
  }).default({}).doc("Helm install settings"),
  upgrade: object({
    timeout: actionTimeout(),
    remediation: object({
      ...remediation,
      remediateLastFailure: boolean().defaultFromSiblings(
        (s) => (s.retries as number) > 0,
        "true when retries > 0",
      ).doc("remediate the last failure when no retries remain"),
      strategy: enumOf("rollback", "uninstall").default("rollback").doc("how to remediate"),
    }).default({}).doc("what happens when an upgrade fails"),
    disableWait: off("do not wait for resources to be ready"),
    disableWaitForJobs: off("do not wait for Jobs to complete"),
    disableHooks: off("skip hooks"),
    disableOpenAPIValidation: off(
      "skip client-side OpenAPI validation; accepted, no effect: the API server validates applies",
    ),
    disableSchemaValidation: off("skip values.schema.json validation"),
    force: off("replace resources instead of patching them"),
    preserveValues: off("reuse the last release's values"),
    strategy: strategy(),
    disableTakeOwnership: takeOwnership(),
    serverSideApply: ssaMode(),
    chartNameChangeStrategy: enumOf("Reinstall", "InPlaceUpdate").default("Reinstall").doc(
      "a chart with another name: uninstall and install, or upgrade in place",
    ),
    cleanupOnFail: off("delete resources created by a failed upgrade"),
    crds: crdsPolicy().default("Skip").doc("CRDs of the chart's crds/ directory on upgrade"),
  }).default({}).doc("Helm upgrade settings"),
  test: object({
    enable: off("run the chart's tests after install and upgrade"),
    timeout: actionTimeout(),
    ignoreFailures: off("do not remediate failed tests"),
    filters: array(object({
      name: string({ minLength: 1, maxLength: 253 }).doc("test name"),
      exclude: off("exclude instead of select"),
    })).optional().doc("tests to run or exclude"),
  }).default({}).doc("Helm test settings"),
  rollback: object({
    timeout: actionTimeout(),
    disableWait: off("do not wait for resources to be ready"),
    disableWaitForJobs: off("do not wait for Jobs to complete"),
    disableHooks: off("skip hooks"),
    recreate: off("delete the Pods of updated workloads so they restart (Helm 3)"),
    force: off("replace resources instead of patching them"),
    cleanupOnFail: off("delete resources created by a failed rollback"),
    serverSideApply: ssaMode(),
  }).default({}).doc("Helm rollback settings"),
  uninstall: object({
    timeout: actionTimeout(),
    disableHooks: off("skip hooks"),
    keepHistory: off("keep the release history"),
    disableWait: off("do not wait for resources to be deleted"),
    deletionPropagation: enumOf("background", "foreground", "orphan").default("background").doc(
      "deletion propagation policy",
    ),
  }).default({}).doc("Helm uninstall settings"),
  valuesFrom: array(object({
    kind: enumOf("Secret", "ConfigMap").doc("kind of the object holding values"),
    name: string({ minLength: 1, maxLength: 253 }).doc("its name, in this namespace"),
    valuesKey: string({
      maxLength: 253,
      pattern: { regexp: /^[\-._a-zA-Z0-9]+$/, expected: "a data key (letters, digits, -, _, .)" },
    }).default("values.yaml").doc("data key holding the values"),
    targetPath: string({
      maxLength: 250,
      pattern: {
        regexp: /^([a-zA-Z0-9_\-.\\\/]|\[[0-9]{1,5}\])+$/,
        expected: 'a values path such as "a.b[0].c"',
      },
    }).optional().doc("values path the data is set at (default: merged at the root)"),
    optional: off("tolerate a missing object or key"),
    literal: boolean().optional().doc("set the value verbatim at targetPath; refused when true"),
  })).optional().doc("ConfigMaps and Secrets with values, merged in order before values"),
  values: freeObject().optional().doc("Helm values, merged last"),
  postRenderers: postRenderers(),
});

const v2 = v2Shape.refine((spec, path, ctx) => {
  if ((spec.chart === undefined) === (spec.chartRef === undefined)) {
    ctx.report(path, "exactly one of chart or chartRef must be set");
  }
}).refine(refuseUnsupported);

export type HelmReleaseSpec = ObjectOf<typeof v2Shape.shape>;

/**
 * Fields of Flux's HelmRelease that skiff cannot honour. Accepting them and doing something
 * else would deploy differently from what the user asked for, so each one is refused when the
 * config loads, saying why and what to use instead.
 */
function refuseUnsupported(
  spec: Omit<HelmReleaseSpec, "chartRef">,
  path: string,
  ctx: CheckContext,
): void {
  const refuse = (field: string, why: string) => ctx.report(`${path}.${field}`, why);
  if (spec.kubeConfig !== undefined) {
    refuse(
      "kubeConfig",
      "remote clusters are not supported by skiff; run a skiff agent in that cluster instead",
    );
  }
  if (spec.chart?.spec.verify !== undefined) {
    refuse(
      "chart.spec.verify",
      "chart signature verification is not supported by skiff; remove it (or pin the chart " +
        "version to content you trust)",
    );
  }
  if (spec.chart?.kind === "OCIRepository") {
    refuse(
      "chart.kind",
      "skiff generates no OCIRepository from a chart template; define an OCIRepository and " +
        "refer to it with spec.chartRef",
    );
  }
  if (spec.healthCheckExprs !== undefined) {
    refuse("healthCheckExprs", "CEL health checks are not supported by skiff (no CEL evaluator)");
  }
  if (spec.waitStrategy?.name === "legacy") {
    refuse(
      "waitStrategy.name",
      "skiff waits with kstatus rules (Flux's poller strategy); legacy is not supported",
    );
  }
  if (spec.postRenderStrategy !== undefined && spec.postRenderStrategy !== "nohooks") {
    refuse(
      "postRenderStrategy",
      `skiff post-renders templates only, as Helm 3 does (nohooks); ${spec.postRenderStrategy} ` +
        "is not supported",
    );
  }
  spec.dependsOn?.forEach((d, i) => {
    if (d.readyExpr !== undefined) {
      refuse(
        `dependsOn[${i}].readyExpr`,
        "CEL readiness expressions are not supported by skiff (no CEL evaluator); skiff waits " +
          "for the dependency to be Ready",
      );
    }
  });
  spec.valuesFrom?.forEach((v, i) => {
    if (v.literal) {
      refuse(
        `valuesFrom[${i}].literal`,
        "literal values are not supported by skiff yet; the value is set with --set-string syntax " +
          "without literal",
      );
    }
  });
  for (const action of ["install", "upgrade"] as const) {
    const o = spec[action];
    if (o.strategy?.name === "RemediateOnFailure" && o.strategy.retryInterval !== undefined) {
      refuse(
        `${action}.strategy.retryInterval`,
        "retryInterval applies to RetryOnFailure only; remove it or use name: RetryOnFailure",
      );
    }
    if (o.disableTakeOwnership) {
      refuse(
        `${action}.disableTakeOwnership`,
        "skiff's server-side apply always takes over existing objects; remove it",
      );
    }
  }
  if (spec.install.serverSideApply === false) {
    refuse("install.serverSideApply", "skiff always applies with server-side apply");
  }
  for (const action of ["upgrade", "rollback"] as const) {
    if (spec[action].serverSideApply === "disabled") {
      refuse(`${action}.serverSideApply`, "skiff always applies with server-side apply");
    }
  }
}
type PostRenderer = NonNullable<HelmReleaseSpec["postRenderers"]>[number];

/**
 * Moves deprecated fields onto their replacements (valuesFile into valuesFiles, the old patch
 * lists into patches) and fills the chart's interval from the release's, as Flux reads them.
 */
function normalize(spec: HelmReleaseSpec, _ctx: CheckContext): HelmReleaseSpec {
  const out: HelmReleaseSpec = { ...spec };
  if (spec.chart) {
    const { valuesFile, ...chartSpec } = spec.chart.spec;
    const valuesFiles = [...(valuesFile ? [valuesFile] : []), ...(chartSpec.valuesFiles ?? [])];
    out.chart = {
      ...spec.chart,
      spec: {
        ...chartSpec,
        interval: chartSpec.interval ?? spec.interval,
        ...(valuesFiles.length > 0 ? { valuesFiles } : {}),
      },
    };
  }
  if (spec.postRenderers) out.postRenderers = spec.postRenderers.map(normalizePostRenderer);
  return out;
}

function normalizePostRenderer(renderer: PostRenderer): PostRenderer {
  if (!renderer.kustomize) return renderer;
  const { patchesStrategicMerge, patchesJson6902, ...kustomize } = renderer.kustomize;
  const patches = [
    ...(kustomize.patches ?? []),
    ...(patchesStrategicMerge ?? []).map((p: JsonValue) => ({ patch: JSON.stringify(p) })),
    ...(patchesJson6902 ?? []).map((p) => ({ patch: JSON.stringify(p.patch), target: p.target })),
  ];
  return { kustomize: { ...kustomize, ...(patches.length > 0 ? { patches } : {}) } };
}

const v2beta1 = v2Shape.without("chartRef").extend({
  chart: chartTemplate(["HelmRepository", "GitRepository", "Bucket"]).doc(
    "the chart (required in v2beta1)",
  ),
}).refine(refuseUnsupported);

const v2Version: KindVersion<HelmReleaseSpec> = {
  apiVersion: "helm.toolkit.fluxcd.io/v2",
  spec: v2,
  normalize: (spec, ctx) => normalize(spec as HelmReleaseSpec, ctx),
  notes: [
    "`chart.spec.valuesFile` is moved to the front of `chart.spec.valuesFiles`.",
    "`postRenderers[].kustomize.patchesStrategicMerge` and `patchesJson6902` become `patches`.",
    "`chart.spec.interval` is filled from `interval` when unset.",
  ],
};

export const helmReleaseKind: KindDefinition<"HelmRelease", HelmReleaseSpec> = {
  kind: "HelmRelease",
  description: "A Helm chart installed and upgraded as a release, with values and remediation.",
  specRequired: true,
  versions: [
    v2Version,
    older("helm.toolkit.fluxcd.io/v2beta2", v2, (spec, ctx) => normalize(spec, ctx), [
      "Same fields as v2, mapped the same way.",
    ]),
    older(
      "helm.toolkit.fluxcd.io/v2beta1",
      v2beta1,
      (spec, ctx) => normalize(spec as HelmReleaseSpec, ctx),
      [
        "`spec.chart` is required (no `chartRef`); `chart.spec` maps onto v2's `chart.spec`.",
        "Deprecated fields map as in v2.",
      ],
    ),
  ],
};
