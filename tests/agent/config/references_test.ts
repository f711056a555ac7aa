// Cross-document checks and lookups of a loaded config.
import assert from "node:assert/strict";
import { ConfigError, formatProblem, loadConfigText } from "../../../agent/config/mod.ts";
import { configProblems } from "./problems.ts";

const git = (name: string, namespace = "flux-system") =>
  `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec: {interval: 1m, url: "https://example.com/${name}.git"}\n`;
const ks = (name: string, dependsOn: string[] = [], source = "app") =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: ${name}}\nspec:\n  interval: 5m\n  sourceRef: {kind: GitRepository, name: ${source}}\n  dependsOn: [${
    dependsOn.map((d) => `{name: ${d}}`).join(", ")
  }]\n`;
const file = (...docs: string[]) => docs.join("---\n");

Deno.test("lookups find objects by kind, namespace and name", () => {
  const config = loadConfigText(file(git("app"), git("app", "team-a"), ks("apps")), "c.yaml");
  assert.equal(
    config.get("GitRepository", "team-a", "app")?.spec.url,
    "https://example.com/app.git",
  );
  assert.equal(config.get("GitRepository", "default", "app"), undefined);
  assert.equal(config.get("Kustomization", "flux-system", "app"), undefined);
  assert.equal(config.gitRepositories.length, 2);
  assert.deepEqual(config.ofKind("Kustomization").map((k) => k.metadata.name), ["apps"]);
  assert.equal(config.file, "c.yaml");
});

Deno.test("every cycle is reported once, on its first member in the file", () => {
  assert.deepEqual(
    configProblems(
      file(git("app"), ks("a", ["b"]), ks("b", ["a"]), ks("c", ["d"]), ks("d", ["c", "a"])),
    ),
    [
      "c.yaml: document 2 (Kustomization flux-system/a): spec.dependsOn: dependency cycle: Kustomization flux-system/a -> flux-system/b -> flux-system/a",
      "c.yaml: document 4 (Kustomization flux-system/c): spec.dependsOn: dependency cycle: Kustomization flux-system/c -> flux-system/d -> flux-system/c",
    ],
  );
});

Deno.test("a dependency chain without a cycle is fine", () => {
  assert.deepEqual(
    configProblems(file(git("app"), ks("a"), ks("b", ["a"]), ks("c", ["a", "b"]))),
    [],
  );
});

Deno.test("all problems of a file are reported together, in document order", () => {
  assert.deepEqual(configProblems(file(ks("apps", ["infra"], "missing"), git("app"), git("app"))), [
    'c.yaml: document 1 (Kustomization flux-system/apps): spec.sourceRef: GitRepository "missing" is not defined\n  (defined: GitRepository "app")',
    'c.yaml: document 1 (Kustomization flux-system/apps): spec.dependsOn[0]: Kustomization "infra" is not defined\n  (no Kustomization is defined in the file)',
    "c.yaml: document 3 (GitRepository flux-system/app): metadata.name: duplicate GitRepository flux-system/app (first defined in document 2)",
  ]);
});

Deno.test("ConfigError carries the problems as data", () => {
  try {
    loadConfigText(file(git("app"), ks("apps", [], "ap")), "c.yaml");
    assert.fail("expected a ConfigError");
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    assert.deepEqual(e.problems, [{
      file: "c.yaml",
      documentIndex: 1,
      kind: "Kustomization",
      namespace: "flux-system",
      name: "apps",
      path: "spec.sourceRef",
      message:
        'GitRepository "ap" is not defined\n  (defined: GitRepository "app"; did you mean that?)',
    }]);
    assert.equal(e.message, formatProblem(e.problems[0]));
  }
});

Deno.test("an empty file is a valid, empty config with the Agent's defaults", () => {
  const config = loadConfigText("# nothing yet\n", "empty.yaml");
  assert.equal(config.objects.length, 0);
  assert.equal(config.agent.namespace, "flux-system");
  assert.equal(config.agent.leaderElection.enabled, false);
  assert.equal(config.agent.leaderElection.namespace, "flux-system");
});
