// ReleaseStorage against the API emulator: history by label, last/deployed, updates that keep
// createdAt, and maxHistory pruning that never drops the newest deployed revision.
import assert from "node:assert/strict";
import { type Release, ReleaseStorage, ZERO_TIME } from "../../../../lib/helm/release/mod.ts";
import { withCluster } from "../../kube/emulator_client.ts";

const e2e = { sanitizeResources: false, sanitizeOps: false };

function rev(version: number, status: Release["info"]["status"]): Release {
  return {
    name: "web",
    namespace: "apps",
    version,
    info: { deleted: ZERO_TIME, status, description: `revision ${version}` },
    manifest: "",
  };
}

Deno.test(
  "history, last, deployed, update and pruning keep Helm's rules",
  e2e,
  withCluster(async (c) => {
    await c.client.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "apps" } });
    let clock = new Date("2026-01-01T00:00:00Z");
    const storage = new ReleaseStorage(c.client, "apps", () => clock);
    await storage.create(rev(1, "superseded"));
    await storage.create(rev(2, "deployed"));
    for (const v of [3, 4, 5]) await storage.create(rev(v, "failed"));
    await storage.create({ ...rev(1, "deployed"), name: "other" });

    assert.deepEqual((await storage.history("web")).map((r) => r.version), [1, 2, 3, 4, 5]);
    assert.equal((await storage.last("web"))?.version, 5);
    assert.equal((await storage.deployed("web"))?.version, 2);
    assert.deepEqual(await storage.releaseNames(), ["other", "web"]);

    clock = new Date("2026-01-02T00:00:00Z");
    await storage.update({ ...rev(5, "superseded") });
    const secret = c.server.store.get("v1", "Secret", "sh.helm.release.v1.web.v5", "apps")!;
    const labels = (secret.metadata as { labels: Record<string, string> }).labels;
    assert.equal(labels.status, "superseded");
    assert.equal(labels.createdAt, String(Date.parse("2026-01-01T00:00:00Z") / 1000));
    assert.equal(labels.modifiedAt, String(Date.parse("2026-01-02T00:00:00Z") / 1000));

    // Keep 2, oldest first but never the newest deployed one: 2 and 5 remain.
    assert.deepEqual(await storage.pruneHistory("web", 2), [1, 3, 4]);
    assert.deepEqual((await storage.history("web")).map((r) => r.version), [2, 5]);
    assert.equal((await storage.history("other")).length, 1);
    await assert.rejects(() => storage.get("web", 1), /revision 1 not found in namespace apps/);
  }, { tls: false }),
);
