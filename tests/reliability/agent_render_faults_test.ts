// Render faults through a running agent: after a good sync of several objects, a commit with
// invalid YAML, a kustomization.yaml naming a missing file, a post-build variable that must be
// set (`${VAR:?message}`), a render of zero objects, and a Helm template error in a chart from
// the GitRepository. Each time nothing is applied or pruned (resourceVersions unchanged), the
// status API says Ready=False naming the file or field, the last applied revision stays the
// good one, and the next good commit is applied. A chart that fails on install is reported the
// same way, and a spent retry budget still names the cause.
import assert from "node:assert/strict";
import {
  configMap,
  deployment,
  e2eOpts as opts,
  gitRepository,
  kustomization,
  seedFluxSystem,
  startWorld,
  type World,
} from "../e2e/harness.ts";
import {
  type AgentHandle,
  type ObjectRef,
  reconcile,
  resourceVersions,
  settledVersions,
  type StatusEntry,
  storedInventory,
  waitForStatus,
} from "./agent_status.ts";
import { recordScenario } from "./record.ts";

const KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [web.yaml, settings.yaml, extra.yaml, flags.yaml]
`;

/** Four objects; settings uses a post-build variable. */
const GOOD_APPS: Record<string, string> = {
  "apps/kustomization.yaml": KUSTOMIZATION,
  "apps/web.yaml": deployment("web", 2),
  "apps/settings.yaml": configMap("settings", { color: "${COLOR}" }),
  "apps/extra.yaml": configMap("extra", { a: "1" }),
  "apps/flags.yaml": configMap("flags", { beta: "off" }),
};

const OBJECTS: ObjectRef[] = [
  { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "default" },
  ...["settings", "extra", "flags"].map((name) => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    name,
    namespace: "default",
  })),
  {
    apiVersion: "v1",
    kind: "ConfigMap",
    name: "skiff-ks-flux-system-apps",
    namespace: "flux-system",
  },
];

function handle(world: World): AgentHandle {
  return { url: `http://127.0.0.1:${world.agent!.port}`, logs: world.logs };
}

/**
 * Commits `files` and asks the agent to fetch the GitRepository now (`skiff reconcile`); its
 * new revision wakes the consumers. Returns the revision.
 */
async function commitAndFetch(world: World, files: Record<string, string | null>): Promise<string> {
  const sha = await world.repo.commit(files);
  await reconcile(handle(world), "GitRepository", "fleet");
  return `main@sha1:${sha}`;
}

interface RenderFault {
  id: string;
  what: string;
  files: Record<string, string | null>;
  reason: string;
  /** What the status message must say (file or field named). */
  message: RegExp;
}

const FAULTS: RenderFault[] = [
  {
    id: "agent-render-invalid-yaml",
    what: "invalid YAML",
    files: { "apps/extra.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [extra\n" },
    reason: "BuildFailed",
    message: /apps\/extra\.yaml: document 1: line 4, column 1: /,
  },
  {
    id: "agent-render-missing-file",
    what: "kustomization.yaml names a missing file",
    files: {
      "apps/kustomization.yaml": KUSTOMIZATION.replace("flags.yaml]", "flags.yaml, gone.yaml]"),
    },
    reason: "BuildFailed",
    message: /apps\/kustomization\.yaml: resources\[4\]: "gone\.yaml" does not exist/,
  },
  {
    id: "agent-render-strict-variable",
    what: "a post-build variable that must be set",
    files: {
      "apps/flags.yaml": configMap("flags", {
        beta: "off",
        region: "${REGION:?set REGION in postBuild.substitute}",
      }),
    },
    reason: "BuildFailed",
    message: /ConfigMap\/default\/flags: postBuild\.substitute: REGION: set REGION in postBuild/,
  },
  {
    id: "agent-render-zero-objects",
    what: "a render of zero objects",
    files: { "apps/kustomization.yaml": KUSTOMIZATION.replace(/\[.*\]/, "[]") },
    reason: "PruneFailed",
    message: /spec\.path \.\/apps rendered no objects .*inventory holds 4; nothing was pruned/,
  },
];

Deno.test("render faults through a running agent", opts, async (t) => {
  const world = await startWorld(
    { ...GOOD_APPS },
    (url) =>
      [
        gitRepository(url, "1h"),
        kustomization("apps", "./apps", {
          targetNamespace: "default",
          postBuild: { substitute: { COLOR: "blue" } },
        }, "1h"),
      ].join("---\n"),
  );
  try {
    await world.startAgent();
    const agent = handle(world);
    let good = await waitForStatus(
      agent,
      "Kustomization",
      "apps",
      "first sync",
      (s) => s.ready === "True",
    );
    assert.equal(good.inventorySize, 4);
    let round = 0;

    for (const fault of FAULTS) {
      await t.step(fault.what, async () => {
        const before = await settledVersions(world.api, OBJECTS);
        const inventoryBefore = storedInventory(world.api, "apps");
        const started = performance.now();
        const bad = await commitAndFetch(world, fault.files);
        const failed = await waitForStatus(
          agent,
          "Kustomization",
          "apps",
          `${fault.reason} at ${bad}`,
          (s) => s.ready === "False" && s.lastAttemptedRevision === bad,
        );
        const failedMs = performance.now() - started;
        assert.equal(failed.reason, fault.reason, failed.message);
        assert.match(failed.message, fault.message);
        assert.equal(failed.revision, good.revision, "the last applied revision is kept");
        assert.deepEqual(resourceVersions(world.api, OBJECTS), before, "nothing written");
        assert.deepEqual(storedInventory(world.api, "apps"), inventoryBefore);

        // The fix: the good files again, with one visible change.
        round++;
        const fixing = performance.now();
        const fixed = await commitAndFetch(
          world,
          { ...GOOD_APPS, "apps/extra.yaml": configMap("extra", { a: `fixed-${round}` }) },
        );
        good = await waitForStatus(
          agent,
          "Kustomization",
          "apps",
          `Ready at ${fixed}`,
          (s) => s.ready === "True" && s.revision === fixed,
        );
        const extra = world.api.store.get("v1", "ConfigMap", "extra", "default");
        assert.equal((extra?.data as Record<string, string>).a, `fixed-${round}`);
        assert.equal(storedInventory(world.api, "apps")?.revision, fixed);
        await recordScenario(fault.id, {
          faultsInjected: 1,
          note: timingNote(failed, failedMs, performance.now() - fixing),
        });
      });
    }
  } finally {
    await world.stop();
  }
});

/** For the report: how soon the failure showed and the fix was applied, after each commit. */
function timingNote(failed: StatusEntry, failedMs: number, recoveredMs: number): string {
  return `${failed.reason} ${Math.round(failedMs)} ms after the commit; 0 objects written; ` +
    `fix applied in ${Math.round(recoveredMs)} ms`;
}

// ---- Helm: a chart kept in the GitRepository, one revision per commit ----

const CHART: Record<string, string> = {
  "chart/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
  "chart/values.yaml": "color: blue\n",
  "chart/templates/config.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-config
data:
  color: {{ .Values.color | quote }}
`,
  "chart/templates/flags.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-flags
data:
  beta: "off"
`,
};

const HELM_RELEASE = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: shop, namespace: flux-system}
spec:
  interval: 1h
  timeout: 10s
  releaseName: shop
  targetNamespace: apps
  storageNamespace: apps
  install: {createNamespace: true}
  chart:
    spec:
      chart: ./chart
      reconcileStrategy: Revision
      sourceRef: {kind: GitRepository, name: fleet}
`;

const HELM_OBJECTS: ObjectRef[] = [
  ...["shop-config", "shop-flags"].map((name) => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    name,
    namespace: "apps",
  })),
  ...["v1", "v2", "v3"].map((v) => ({
    apiVersion: "v1",
    kind: "Secret",
    name: `sh.helm.release.v1.shop.${v}`,
    namespace: "apps",
  })),
];

Deno.test("a Helm template error in a chart from Git, through a running agent", opts, async () => {
  const world = await startWorld(
    { ...CHART },
    (url) => [gitRepository(url, "1h"), HELM_RELEASE].join("---\n"),
  );
  try {
    seedFluxSystem(world.api);
    await world.startAgent();
    const agent = handle(world);
    const good = await waitForStatus(
      agent,
      "HelmRelease",
      "shop",
      "installed",
      (s) => s.ready === "True",
      20_000,
    );
    const before = await settledVersions(world.api, HELM_OBJECTS);
    assert.match(before.join(" "), /sh\.helm\.release\.v1\.shop\.v2=absent/);

    const started = performance.now();
    const bad = await commitAndFetch(world, {
      "chart/templates/flags.yaml": CHART["chart/templates/flags.yaml"].replace(
        'beta: "off"',
        "beta: {{ .Values.beta | nosuchfunction }}",
      ),
    });
    const failed = await waitForStatus(
      agent,
      "HelmRelease",
      "shop",
      `failed at ${bad}`,
      (s) => s.ready === "False" && s.lastAttemptedRevision === bad,
      20_000,
    );
    const failedMs = performance.now() - started;
    assert.equal(failed.reason, "UpgradeFailed", failed.message);
    assert.match(
      failed.message,
      /^Helm upgrade failed for release apps\/shop with chart shop@1\.0\.0\+[0-9a-f]{12}: parse error at \(shop\/templates\/flags\.yaml:6\): function "nosuchfunction" not defined$/,
    );
    assert.equal(failed.revision, good.revision, "the last released revision is kept");
    assert.deepEqual(
      resourceVersions(world.api, HELM_OBJECTS),
      before,
      "nothing applied, no release stored",
    );
    // The next run (its interval, `skiff reconcile hr shop`) finds the retries spent: it still
    // says what went wrong, and still writes nothing.
    await reconcile(agent, "HelmRelease", "shop");
    const again = await waitForStatus(
      agent,
      "HelmRelease",
      "shop",
      "a second run of the failed revision",
      (s) => (s.lastReconcileTime ?? "") > (failed.lastReconcileTime ?? ""),
    );
    assert.equal(again.ready, "False");
    assert.match(again.message, /retries exhausted.*shop\/templates\/flags\.yaml:6/);
    assert.deepEqual(resourceVersions(world.api, HELM_OBJECTS), before);

    const fixing = performance.now();
    const fixed = await commitAndFetch(world, {
      ...CHART,
      "chart/values.yaml": "color: green\n",
    });
    await waitForStatus(
      agent,
      "HelmRelease",
      "shop",
      `Ready at ${fixed}`,
      (s) => s.ready === "True" && s.revision === fixed,
      20_000,
    );
    const config = world.api.store.get("v1", "ConfigMap", "shop-config", "apps");
    assert.equal((config?.data as Record<string, string>).color, "green");
    await recordScenario("agent-render-helm-template", {
      faultsInjected: 1,
      note: timingNote(failed, failedMs, performance.now() - fixing),
    });
  } finally {
    await world.stop();
  }
});

Deno.test(
  "a chart that never rendered: InstallFailed naming the template, then installed",
  opts,
  async () => {
    const broken = CHART["chart/templates/flags.yaml"].replace(
      'beta: "off"',
      "beta: {{ .Values.x.y }}",
    );
    const world = await startWorld(
      { ...CHART, "chart/templates/flags.yaml": broken },
      (url) => [gitRepository(url, "1h"), HELM_RELEASE].join("---\n"),
    );
    try {
      seedFluxSystem(world.api);
      await world.startAgent();
      const agent = handle(world);
      const failed = await waitForStatus(
        agent,
        "HelmRelease",
        "shop",
        "install fails",
        (s) => s.ready === "False" && s.reason !== "ArtifactFailed",
        20_000,
      );
      assert.equal(failed.reason, "InstallFailed", failed.message);
      assert.match(
        failed.message,
        /^Helm install failed for release apps\/shop with chart shop@1\.0\.0\+[0-9a-f]{12}: .*shop\/templates\/flags\.yaml:6/,
      );
      assert.equal(failed.revision, undefined, "nothing was ever released");
      assert.match(resourceVersions(world.api, HELM_OBJECTS).join(" "), /^(\S+=absent ?)+$/);

      const fixed = await commitAndFetch(world, { ...CHART });
      await waitForStatus(
        agent,
        "HelmRelease",
        "shop",
        `installed at ${fixed}`,
        (s) => s.ready === "True" && s.revision === fixed,
        20_000,
      );
      assert.ok(world.api.store.get("v1", "ConfigMap", "shop-flags", "apps"));
    } finally {
      await world.stop();
    }
  },
);
