// `skiff diff` for a HelmRelease: the chart rendered with today's values and compared with the
// cluster through a server-side-apply dry run, plus what an upgrade would delete (objects of
// the deployed revision no longer rendered). Nothing is written, not even release storage.
import type { HelmRelease } from "../config/mod.ts";
import { deployManifest, renderRelease } from "../../lib/helm/actions/mod.ts";
import { ReleaseStorage } from "../../lib/helm/release/mod.ts";
import type { ChangeSet } from "../../lib/kube/mod.ts";
import type { ReconcileEnv } from "../reconcile/types.ts";
import { fetchChart } from "./chart_source.ts";
import { postRendererFor } from "./post_render.ts";
import { composeValues, valuesDigest } from "./values.ts";

export interface HelmReleaseDiff {
  /** Chart name@version that would be installed. */
  chart: string;
  /** The revision the release is at now, or undefined when it would be installed. */
  currentVersion?: number;
  changes: ChangeSet;
}

export async function diffHelmRelease(
  hr: HelmRelease,
  env: ReconcileEnv,
  labels: Record<string, string>,
): Promise<HelmReleaseDiff> {
  const fetched = await fetchChart(hr, env);
  const values = await composeValues(hr, env);
  const storage = new ReleaseStorage(env.client, hr.spec.storageNamespace);
  const history = await storage.history(hr.spec.releaseName);
  const deployed = history.filter((r) => r.info.status === "deployed").at(-1);
  const last = history.at(-1);
  // A release already at this chart and values is not upgraded by the agent: compare what it
  // deployed (rendered as that revision) with the cluster, so only real drift shows.
  const inSync = deployed !== undefined && deployed === last &&
    String(deployed.chart?.metadata?.name ?? "") === fetched.chart.metadata.name &&
    String(deployed.chart?.metadata?.version ?? "") === fetched.version &&
    await valuesDigest(deployed.config ?? {}) === await valuesDigest(values);
  const revision = inSync ? deployed.version : (last?.version ?? 0) + 1;
  const rendered = await renderRelease(env.client, {
    chart: fetched.chart,
    values,
    releaseName: hr.spec.releaseName,
    namespace: hr.spec.targetNamespace,
    revision,
    isUpgrade: inSync ? revision > 1 : deployed !== undefined,
    postRender: postRendererFor(hr),
  });
  const { changes } = await deployManifest(
    { client: env.client, engine: env.engine, storage },
    {
      release: hr.spec.releaseName,
      namespace: hr.spec.targetNamespace,
      manifest: rendered.manifest,
      previousManifest: deployed?.manifest,
      labels,
      wait: false,
      waitForJobs: false,
      timeoutMs: 0,
      dryRun: true,
      diff: true,
    },
  );
  return {
    chart: `${fetched.chart.metadata.name}@${fetched.version}`,
    currentVersion: deployed?.version,
    changes,
  };
}
