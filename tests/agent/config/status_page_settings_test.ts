// Agent spec.server.statusPage: on by default and open; an auth Secret by name; typos refused.
import assert from "node:assert/strict";
import { ConfigError, loadConfigText } from "../../../agent/config/mod.ts";

const agent = (server: string) =>
  `apiVersion: skiff.dev/v1alpha1\nkind: Agent\nspec:\n  server: ${server}\n`;

function problemsOf(text: string): string[] {
  try {
    loadConfigText(text, "skiff.yaml");
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.problems.map((p) => `${p.path}: ${p.message}`);
  }
  assert.fail("expected a ConfigError");
}

Deno.test("the status page is enabled and open by default", () => {
  for (const text of ["", agent("{}"), agent("{statusPage: {}}")]) {
    const config = loadConfigText(text, "skiff.yaml");
    assert.deepEqual(config.agent.server.statusPage, { enabled: true });
  }
});

Deno.test("the status page can be disabled or protected by a Secret", () => {
  const off = loadConfigText(agent("{statusPage: {enabled: false}}"), "skiff.yaml");
  assert.equal(off.agent.server.statusPage.enabled, false);
  const locked = loadConfigText(
    agent("{statusPage: {authSecretRef: {name: status-page-auth}}}"),
    "skiff.yaml",
  );
  assert.deepEqual(locked.agent.server.statusPage, {
    enabled: true,
    authSecretRef: { name: "status-page-auth" },
  });
  assert.equal(locked.agent.server.address, ":9090");
});

Deno.test("unknown fields and malformed values under statusPage are refused with their path", () => {
  assert.deepEqual(problemsOf(agent("{statusPage: {enabeld: false}}")), [
    'spec.server.statusPage.enabeld: unknown field; did you mean "enabled"?',
  ]);
  const [unknownRef] = problemsOf(agent("{statusPage: {authSecretRef: {name: a, key: b}}}"));
  assert.match(unknownRef, /^spec\.server\.statusPage\.authSecretRef\.key: unknown field/);
  const [missingName] = problemsOf(agent("{statusPage: {authSecretRef: {}}}"));
  assert.match(missingName, /^spec\.server\.statusPage\.authSecretRef\.name: /);
  const [badName] = problemsOf(agent("{statusPage: {authSecretRef: {name: Not_A_Name}}}"));
  assert.match(badName, /^spec\.server\.statusPage\.authSecretRef\.name: /);
  const [notBool] = problemsOf(agent('{statusPage: {enabled: "no"}}'));
  assert.match(notBool, /^spec\.server\.statusPage\.enabled: expected true or false/);
});
