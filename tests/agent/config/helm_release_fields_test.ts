// Every field of Flux's HelmRelease is either honoured or refused when the config loads, with
// the reason and what to do instead; never silently ignored.
import assert from "node:assert/strict";
import { loadConfigText } from "../../../agent/config/mod.ts";
import { configProblems } from "./problems.ts";

const repo = `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: charts, namespace: flux-system}
spec: {url: "https://charts.example.com"}
`;

const defaultChart = `  chart:
    spec: {chart: web, sourceRef: {kind: HelmRepository, name: charts}}
`;

function problems(
  spec: string,
  apiVersion = "helm.toolkit.fluxcd.io/v2",
  chart = defaultChart,
): string[] {
  const text = `${repo}---
apiVersion: ${apiVersion}
kind: HelmRelease
metadata: {name: web, namespace: flux-system}
spec:
  interval: 5m
${chart}${spec}`;
  return configProblems(text);
}

Deno.test("fields skiff honours, or accepts as no-ops, load", () => {
  assert.deepEqual(
    problems(`  persistentClient: false
  commonMetadata: {labels: {team: a}, annotations: {note: b}}
  waitStrategy: {name: poller}
  postRenderStrategy: nohooks
  install: {replace: true, serverSideApply: true, strategy: {name: RetryOnFailure, retryInterval: 1m}}
  upgrade: {chartNameChangeStrategy: InPlaceUpdate, serverSideApply: auto, strategy: {name: RemediateOnFailure}}
  rollback: {recreate: true, cleanupOnFail: true, serverSideApply: enabled}
`),
    [],
  );
});

Deno.test("fields skiff cannot honour are refused with the reason, in every version", () => {
  const spec = `  kubeConfig: {secretRef: {name: remote}}
  healthCheckExprs: [{apiVersion: example.com/v1, current: "true"}]
  waitStrategy: {name: legacy}
  postRenderStrategy: combined
  dependsOn: [{name: db, readyExpr: "dep.status.ready"}]
  valuesFrom: [{kind: ConfigMap, name: v, targetPath: a.b, literal: true}]
  install: {disableTakeOwnership: true, serverSideApply: false}
  upgrade: {strategy: {name: RemediateOnFailure, retryInterval: 5m}, serverSideApply: disabled}
  rollback: {serverSideApply: disabled}
`;
  const expected = [
    /spec\.kubeConfig: remote clusters are not supported by skiff/,
    /spec\.healthCheckExprs: CEL health checks are not supported/,
    /spec\.waitStrategy\.name: .*legacy is not supported/,
    /spec\.postRenderStrategy: .*combined is not supported/,
    /spec\.dependsOn\[0\]\.readyExpr: CEL readiness expressions are not supported/,
    /spec\.valuesFrom\[0\]\.literal: literal values are not supported/,
    /spec\.install\.disableTakeOwnership: skiff's server-side apply always takes over/,
    /spec\.upgrade\.strategy\.retryInterval: retryInterval applies to RetryOnFailure only/,
    /spec\.install\.serverSideApply: skiff always applies with server-side apply/,
    /spec\.upgrade\.serverSideApply: skiff always applies/,
    /spec\.rollback\.serverSideApply: skiff always applies/,
  ];
  for (const version of ["v2", "v2beta2", "v2beta1"]) {
    const found = problems(spec, `helm.toolkit.fluxcd.io/${version}`)
      .filter((p) => !/dependsOn\[0\]: HelmRelease "db" is not defined/.test(p));
    for (const re of expected) {
      assert.ok(found.some((p) => re.test(p)), `${version}: ${re}\n${found.join("\n")}`);
    }
  }
});

Deno.test("chart signature verification and generated OCIRepositories are refused", () => {
  const found = problems(
    "",
    undefined,
    `  chart:
    kind: OCIRepository
    spec:
      chart: web
      sourceRef: {kind: HelmRepository, name: charts}
      verify: {provider: cosign}
`,
  );
  assert.ok(found.some((p) => /spec\.chart\.spec\.verify: chart signature verification/.test(p)));
  assert.ok(
    found.some((p) =>
      /spec\.chart\.kind: .*use spec\.chartRef|refer to it with spec\.chartRef/.test(p)
    ),
    found.join("\n"),
  );
});

Deno.test("a composed release name over 53 characters is shortened with a hash, as Flux does", () => {
  const config = loadConfigText(
    `${repo}---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: with-a-nice-object-name, namespace: flux-system}
spec:
  interval: 5m
  targetNamespace: a-very-lengthy-target-namespace
${defaultChart}`,
    "c.yaml",
  );
  const hr = config.get("HelmRelease", "flux-system", "with-a-nice-object-name")!;
  // sha256("a-very-lengthy-target-namespace-with-a-nice-object-name") starts 97af5d7f41f3.
  assert.equal(hr.spec.releaseName, "a-very-lengthy-target-namespace-with-a-n-97af5d7f41f3");
  assert.equal(hr.spec.releaseName.length, 53);
});
