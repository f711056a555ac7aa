// /metrics for an OCIRepository, as for a GitRepository: gotk_reconcile_condition rows that
// follow its Ready condition, and skiff_oci_pull_duration_seconds beside
// skiff_git_fetch_duration_seconds. A real agent, a real registry (Debian's docker-registry).
import assert from "node:assert/strict";
import { main } from "../../../main.ts";
import { startRegistry } from "../../support/registry.ts";
import {
  configOf,
  deployment,
  e2eOpts,
  eventually,
  gitRepository,
  startWorld,
} from "../../e2e/harness.ts";

/** The value of a metric line with exactly these labels. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

const OCI = 'kind="OCIRepository",name="apps",namespace="flux-system"';

Deno.test(
  "an OCIRepository has Ready condition rows and a pull-duration histogram",
  e2eOpts,
  async () => {
    const registry = await startRegistry();
    const world = await startWorld({ "README.md": "x" }, (url) =>
      configOf(
        gitRepository(url, "1h"),
        `apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 500ms
  url: oci://${registry.host}/fleet/apps
  insecure: true
  ref: {tag: "1.0.0"}
`,
      ));
    try {
      const agent = await world.startAgent();
      const metrics = async () =>
        await (await fetch(`http://127.0.0.1:${agent.port}/metrics`)).text();
      // Nothing pushed yet: the pull fails, and the condition says so.
      const failing = await eventually(
        "Ready=False",
        async () => {
          const text = await metrics();
          return sample(text, "gotk_reconcile_condition", `${OCI},type="Ready",status="False"`) ===
              1
            ? text
            : undefined;
        },
        10_000,
        world.logs,
      );
      for (const status of ["True", "Unknown", "Deleted"]) {
        assert.equal(
          sample(failing, "gotk_reconcile_condition", `${OCI},type="Ready",status="${status}"`),
          0,
        );
      }
      assert.equal(sample(failing, "gotk_suspend_status", OCI), 0);

      const dir = `${world.dir}/artifact`;
      await Deno.mkdir(dir);
      await Deno.writeTextFile(`${dir}/web.yaml`, deployment("web"));
      const pushed = await main([
        "push",
        "artifact",
        `oci://${registry.host}/fleet/apps:1.0.0`,
        "--path",
        dir,
        "--source",
        "https://git.example.com/fleet",
        "--revision",
        `main@sha1:${"1".repeat(40)}`,
        "--insecure-registry",
        "-o",
        "json",
      ]);
      assert.equal(pushed, 0);
      const text = await eventually(
        "Ready=True",
        async () => {
          const text = await metrics();
          return sample(text, "gotk_reconcile_condition", `${OCI},type="Ready",status="True"`) === 1
            ? text
            : undefined;
        },
        10_000,
        world.logs,
      );
      assert.equal(
        sample(text, "gotk_reconcile_condition", `${OCI},type="Ready",status="False"`),
        0,
      );
      assert.match(text, /^# TYPE skiff_oci_pull_duration_seconds histogram$/m);
      const count = sample(text, "skiff_oci_pull_duration_seconds_count", OCI)!;
      assert.ok(count >= 2, `failed and good pulls both counted (${count})`);
      assert.equal(
        sample(text, "skiff_oci_pull_duration_seconds_bucket", `${OCI},le="+Inf"`),
        count,
      );
      assert.ok(sample(text, "skiff_oci_pull_duration_seconds_sum", OCI)! > 0);
      // Each source kind in its own histogram.
      const git = 'kind="GitRepository",name="fleet",namespace="flux-system"';
      assert.ok(sample(text, "skiff_git_fetch_duration_seconds_count", git)! >= 1);
      assert.equal(sample(text, "skiff_git_fetch_duration_seconds_count", OCI), undefined);
      assert.equal(sample(text, "skiff_oci_pull_duration_seconds_count", git), undefined);
    } finally {
      await world.stop();
      await registry.stop();
    }
  },
);
