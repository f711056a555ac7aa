// Secrets stay secret on every path a library hands text to people: apply diffs of Secrets,
// change sets and inventories, errors of failed applies, Git errors for URLs with credentials
// and logs through the SecretRegistry. The scanner counts every occurrence of the suite's test
// secrets (plain and base64); the report's "secrets leaked" must be 0.
import assert from "node:assert/strict";
import { fetchGitArtifact, GitFetchError } from "../../lib/git/mod.ts";
import { formatChange, type KubeObject } from "../../lib/kube/mod.ts";
import { Logger, SecretRegistry } from "../../lib/log/mod.ts";
import { freePort, tempDir } from "../support/process.ts";
import { withEmulator } from "./fleet.ts";
import { recordScenario } from "./record.ts";
import { leakScanner, TEST_SECRETS } from "./secrets.ts";

const e2e = { sanitizeResources: false, sanitizeOps: false };

const secret = (value: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name: "db", namespace: "default" },
  data: { password: btoa(value) },
  stringData: { token: value },
  ...extra,
});

Deno.test({
  name: "no test secret appears in diffs, change sets, inventories, errors or logs",
  ...e2e,
  fn: async () => {
    const leaks = leakScanner();
    let observed = 0;
    const see = (where: string, ...texts: string[]) => {
      observed += texts.length;
      leaks.scan(where, ...texts);
    };
    await withEmulator({ seed: 31 }, {}, async (server, engine) => {
      // Create, then change a Secret with diffs on: every diff line is masked.
      const created = await engine.applySet([secret(TEST_SECRETS.secretData)], undefined, {
        diff: true,
      });
      const changed = await engine.applySet(
        [secret(TEST_SECRETS.rotatedGitPassword)],
        created.inventory,
        { diff: true },
      );
      for (const set of [created, changed]) {
        for (const c of set.changes) see("change", formatChange(c), c.diff ?? "");
        see("inventory", JSON.stringify(set.inventory.encode()));
      }
      assert.ok(changed.changes.some((c) => (c.diff ?? "").length > 0), "a diff was produced");
      // A Secret the server refuses: the error must not echo its data.
      const invalid = secret(TEST_SECRETS.secretData, { type: 42 });
      try {
        await engine.applySet([invalid], undefined, { diff: true });
        assert.fail("an invalid Secret must be refused");
      } catch (e) {
        see("apply error", (e as Error).message);
      }
      // The cluster really holds the secret: the scanner would find it if it leaked.
      const live = server.store.get("v1", "Secret", "db", "default");
      assert.ok(leakScanner().scan("(control)", JSON.stringify(live)) > 0);
    });

    // Git: credentials in the URL and in the Secret never reach the error.
    const dir = await tempDir("skiff-leak-");
    try {
      const url = `http://fleet-bot:${TEST_SECRETS.gitPassword}@127.0.0.1:${freePort()}/fleet.git`;
      try {
        await fetchGitArtifact(
          { url, secret: { username: "fleet-bot", password: TEST_SECRETS.gitPassword } },
          dir.path,
        );
        assert.fail("fetch from a closed port must fail");
      } catch (e) {
        assert.ok(e instanceof GitFetchError);
        see("git error", e.message, String(e.cause ?? ""));
      }
    } finally {
      await dir.remove();
    }

    // Logs: a registered secret is masked in messages and fields, text and JSON formats.
    for (const format of ["text", "json"] as const) {
      const lines: string[] = [];
      const secrets = new SecretRegistry();
      Object.values(TEST_SECRETS).forEach((s) => secrets.add(s));
      const log = new Logger({ format, secrets, sink: { write: (l) => lines.push(l) } });
      log.error(`auth failed with ${TEST_SECRETS.registryToken}`, {
        password: TEST_SECRETS.registryPassword,
        url: `https://u:${TEST_SECRETS.gitPassword}@example.com`,
      });
      assert.ok(lines.length > 0);
      see(`log ${format}`, ...lines);
    }

    assert.equal(leaks.found, 0, `leaked in: ${leaks.places.join(", ")}`);
    await recordScenario("secret-leak-library", {
      secretsLeaked: leaks.found,
      note: `${observed} texts scanned`,
    });
  },
});
