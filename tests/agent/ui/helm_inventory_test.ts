// A HelmRelease's page lists the objects of its Helm release, from the release stored in the
// cluster (namespaced as Helm applies them), with live health, like a Kustomization's inventory.
import assert from "node:assert/strict";
import { AgentCore } from "../../../agent/agent.ts";
import { loadConfigText } from "../../../agent/config/mod.ts";
import { createStatusPage, statusPageSourceFromAgent } from "../../../agent/ui/mod.ts";
import { type Release, ReleaseStorage, ZERO_TIME } from "../../../lib/helm/release/mod.ts";
import { Logger } from "../../../lib/log/mod.ts";
import { withCluster } from "../../lib/kube/emulator_client.ts";

const e2e = { sanitizeResources: false, sanitizeOps: false };
const KEY = "HelmRelease/flux-system/web";

const CONFIG = `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: charts
  namespace: flux-system
spec:
  url: http://127.0.0.1:1/charts
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: flux-system
spec:
  interval: 1h
  targetNamespace: apps
  chart:
    spec:
      chart: webapp
      sourceRef: {kind: HelmRepository, name: charts}
`;

const MANIFEST = `---
# Source: webapp/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  message: hello
---
# Source: webapp/templates/clusterrole.yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: web-reader
rules: []
---
# Source: webapp/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec: {}
`;

function release(version: number, status: Release["info"]["status"], manifest: string): Release {
  return {
    // The default release name of a HelmRelease with a targetNamespace: <targetNamespace>-<name>.
    name: "apps-web",
    namespace: "apps",
    version,
    info: { deleted: ZERO_TIME, status, description: `revision ${version}` },
    manifest,
  };
}

Deno.test(
  "a HelmRelease's page lists its release's objects with live health, and says when none is deployed",
  e2e,
  withCluster(async ({ client }) => {
    for (const name of ["apps", "flux-system"]) {
      await client.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
    }
    const config = loadConfigText(CONFIG, "skiff.yaml");
    const logger = new Logger({ level: "error", sink: { write: () => {} } });
    const core = new AgentCore({ config, client, logger, cacheDir: "/nonexistent" });
    // A fresh source per look: each keeps live health for 2 s.
    const look = async () => {
      const source = statusPageSourceFromAgent(core);
      try {
        const details = await source.details(KEY);
        const res = await createStatusPage(source)(
          new Request(`http://127.0.0.1/ui/object/${KEY}`),
        );
        const html = await res!.text();
        return {
          details,
          tree: html.slice(html.indexOf('id="inventory"'), html.indexOf('id="history"')),
        };
      } finally {
        source.close();
      }
    };
    try {
      core.statuses.ensure(KEY, { suspended: false });
      const { details: before } = await look();
      assert.deepEqual(before?.inventory, []);
      assert.equal(before?.inventoryNote, "release flux-system/apps-web is not installed");

      // The storage namespace defaults to the HelmRelease's namespace, as in Flux.
      const storage = new ReleaseStorage(client, "flux-system");
      await storage.create(release(1, "deployed", MANIFEST));
      await client.create({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "web-config", namespace: "apps" },
        data: { message: "hello" },
      });
      const { details, tree } = await look();
      assert.equal(details?.inventoryNote, undefined);
      assert.deepEqual(
        details?.inventory.map((i) => `${i.kind} ${i.namespace}/${i.name}: ${i.health}`),
        [
          "ClusterRole /web-reader: NotFound",
          "ConfigMap apps/web-config: Current",
          "Deployment apps/web: NotFound",
        ],
      );

      // The page renders the same tree as for a Kustomization.
      assert.match(tree, /Inventory <span class="muted">\(3\)<\/span>/);
      for (const name of ["web-config", "web-reader", "(cluster-scoped)"]) {
        assert.ok(tree.includes(name), `${name} in ${tree}`);
      }

      // A failed upgrade leaves the deployed revision running: its objects are still shown.
      const configMapOnly = MANIFEST.split("---\n# Source: webapp/templates/clusterrole")[0];
      await storage.create(release(2, "failed", configMapOnly));
      const { details: upgradeFailed } = await look();
      assert.equal(upgradeFailed?.inventoryNote, undefined);
      assert.equal(upgradeFailed?.inventory.length, 3);

      // With no deployed revision left, the newest one is shown, and the page says so.
      await storage.update(release(1, "superseded", MANIFEST));
      const { details: failed } = await look();
      assert.equal(
        failed?.inventoryNote,
        "no deployed revision: the objects of revision 2 (failed)",
      );
      assert.deepEqual(failed?.inventory.map((i) => i.name), ["web-config"]);
    } finally {
      await core.stop();
    }
  }, { tls: false }),
);
