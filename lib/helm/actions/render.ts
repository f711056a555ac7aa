// Rendering a chart into the parts of a release: the manifest text Helm stores, the hooks,
// the notes and the chart's CRDs, for the Kubernetes version the cluster reports.
import type { KubeClient } from "../../kube/mod.ts";
import type { Chart } from "../chart/mod.ts";
import { type CrdFile, releaseManifest } from "../manifests/mod.ts";
import { renderChart } from "../render_chart.ts";
import { type ChartJson, chartToJson, type ReleaseHook, ZERO_TIME } from "../release/mod.ts";
import type { Table } from "../values/mod.ts";

export interface RenderedRelease {
  manifest: string;
  hooks: ReleaseHook[];
  notes: string;
  crds: CrdFile[];
  chart: ChartJson;
}

export interface RenderInput {
  chart: Chart;
  /** The user-supplied values (merged valuesFrom + values), stored as the release's config. */
  values: Table;
  releaseName: string;
  namespace: string;
  revision: number;
  isUpgrade: boolean;
  skipSchemaValidation?: boolean;
  /** Rewrites the manifest before it is stored and applied (Flux's postRenderers). */
  postRender?: (manifest: string) => string | Promise<string>;
}

const kubeVersions = new WeakMap<KubeClient, Promise<string | undefined>>();

/** The server's version for `.Capabilities.KubeVersion`, asked once per client. */
export function serverVersion(client: KubeClient): Promise<string | undefined> {
  let v = kubeVersions.get(client);
  if (!v) {
    v = client.raw<{ gitVersion?: string }>("/version").then((r) => r.gitVersion, () => undefined);
    kubeVersions.set(client, v);
  }
  return v;
}

export async function renderRelease(
  client: KubeClient,
  input: RenderInput,
): Promise<RenderedRelease> {
  const kubeVersion = await serverVersion(client);
  const rendered = renderChart(input.chart, input.values, {
    releaseName: input.releaseName,
    namespace: input.namespace,
    revision: input.revision,
    isInstall: !input.isUpgrade,
    isUpgrade: input.isUpgrade,
    kubeVersion: kubeVersion?.replace(/[-+].*$/, ""),
    skipSchemaValidation: input.skipSchemaValidation,
  });
  let manifest = releaseManifest(
    { manifests: rendered.manifests, hooks: rendered.hooks, crds: rendered.crds },
    false,
  );
  if (input.postRender) manifest = await input.postRender(manifest);
  const hooks: ReleaseHook[] = rendered.hooks.map((h) => ({
    name: h.name,
    kind: h.kind,
    path: h.path,
    manifest: h.manifest,
    events: h.events,
    last_run: { started_at: ZERO_TIME, completed_at: ZERO_TIME, phase: "" },
    weight: h.weight,
    delete_policies: h.deletePolicies,
  }));
  return {
    manifest,
    hooks,
    notes: rendered.notes,
    crds: rendered.crds,
    chart: chartToJson(rendered.chart),
  };
}
