// Where a HelmRelease's chart comes from, as helm-controller resolves it: `spec.chart.spec`
// from an HTTP HelmRepository (index.yaml), an OCI HelmRepository, or a chart path inside a
// GitRepository artifact; or `spec.chartRef` to an OCIRepository. Under reconcileStrategy
// Revision a Git chart's version gets `+<revision>` appended, so a new commit is a new chart.
// chart.spec.valuesFiles replace the chart's default values (values_files.ts).
import { join } from "node:path";
import type { HelmRelease } from "../config/mod.ts";
import {
  type Chart,
  loadChartArchive,
  loadChartDir,
  resolveChart,
  resolveOciChart,
} from "../../lib/helm/mod.ts";
import { readSecretData } from "../cluster/secrets.ts";
import { chartSourceKey } from "./source_key.ts";
import { applyValuesFiles } from "./values_files.ts";
import type { ReconcileEnv } from "../reconcile/types.ts";

export { chartSourceKey };

export interface FetchedChart {
  chart: Chart;
  /** The chart version as recorded (with `+<revision>` under the Revision strategy). */
  version: string;
  /** What Flux reports as the artifact revision: the version, or the source revision. */
  revision: string;
}

/** The chart cannot be fetched: names the source and why (Flux's ArtifactFailed). */
export class ChartSourceError extends Error {
  override readonly name = "ChartSourceError";
  constructor(readonly source: string, readonly detail: string, override readonly cause?: unknown) {
    super(`chart from ${source}: ${detail}`);
  }
}

async function credentials(env: ReconcileEnv, namespace: string, name: string | undefined) {
  if (!name) return undefined;
  const data = await readSecretData(
    env.client,
    namespace,
    name,
    "spec.secretRef",
    env.logger.secrets,
  );
  return { username: data.username, password: data.password };
}

export async function fetchChart(hr: HelmRelease, env: ReconcileEnv): Promise<FetchedChart> {
  const source = chartSourceKey(hr);
  try {
    return await fetchFrom(hr, env, source);
  } catch (e) {
    if (e instanceof ChartSourceError) throw e;
    throw new ChartSourceError(source, (e as Error).message, e);
  }
}

async function fetchFrom(
  hr: HelmRelease,
  env: ReconcileEnv,
  source: string,
): Promise<FetchedChart> {
  const ns = hr.metadata.namespace;
  if (hr.spec.chartRef) {
    const ref = hr.spec.chartRef;
    if (ref.kind !== "OCIRepository") {
      throw new ChartSourceError(source, `chartRef kind ${ref.kind} is not supported`);
    }
    const repo = env.config.get("OCIRepository", ref.namespace ?? ns, ref.name);
    if (!repo) throw new ChartSourceError(source, "the OCIRepository is not defined");
    // The OCIRepository's own artifact (its ref, layer selector, TLS and credentials applied)
    // is the chart, unpacked; pulling here is only for before its first pull.
    const artifact = env.artifacts.get(source);
    if (artifact) {
      const chart = await loadChartDir(await chartRootOf(artifact.dir, source));
      return { chart, version: chart.metadata.version, revision: artifact.revision };
    }
    const r = repo.spec.ref;
    if (r.digest) throw new ChartSourceError(source, "ref.digest is not supported for charts");
    const constraint = r.semver ?? r.tag ?? "latest";
    const auth = await credentials(env, repo.metadata.namespace, repo.spec.secretRef?.name);
    const pulled = await resolveOciChart(repo.spec.url, constraint, auth, {
      insecure: repo.spec.insecure,
    });
    const chart = await loadChartArchive(pulled.archive, `${repo.spec.url}:${pulled.version}`);
    return {
      chart,
      version: chart.metadata.version,
      revision: `${pulled.version}@${pulled.digest}`,
    };
  }
  const spec = hr.spec.chart!.spec;
  const ref = spec.sourceRef;
  if (ref.kind === "HelmRepository") {
    const repo = env.config.get("HelmRepository", ref.namespace ?? ns, ref.name);
    if (!repo) throw new ChartSourceError(source, "the HelmRepository is not defined");
    const auth = await credentials(env, repo.metadata.namespace, repo.spec.secretRef?.name);
    const constraint = spec.version === "*" ? "" : spec.version;
    if (repo.spec.type === "oci") {
      const url = `${repo.spec.url.replace(/\/+$/, "")}/${spec.chart}`;
      const pulled = await resolveOciChart(url, constraint, auth, { insecure: repo.spec.insecure });
      const chart = await loadChartArchive(pulled.archive, `${url}:${pulled.version}`);
      await applyValuesFiles(chart, spec);
      return { chart, version: chart.metadata.version, revision: chart.metadata.version };
    }
    const resolved = await resolveChart(repo.spec.url, spec.chart, constraint, {
      ...auth,
      passCredentials: repo.spec.passCredentials,
    });
    const chart = await loadChartArchive(resolved.archive, resolved.url);
    await applyValuesFiles(chart, spec);
    return { chart, version: chart.metadata.version, revision: chart.metadata.version };
  }
  if (ref.kind === "GitRepository") {
    const artifact = env.artifacts.require(source);
    const dir = join(artifact.dir, spec.chart.replace(/^\.\//, ""));
    if (!dir.startsWith(artifact.dir)) {
      throw new ChartSourceError(source, `chart path ${spec.chart} leaves the artifact`);
    }
    const chart = await loadChartDir(dir);
    await applyValuesFiles(chart, spec, artifact.dir);
    if (spec.reconcileStrategy === "Revision") {
      // Flux appends the source revision (without the ref name) as build metadata.
      const rev = artifact.revision.replace(/^.*@/, "").replace(/^sha1:/, "").slice(0, 12);
      chart.metadata.version = `${chart.metadata.version}+${rev}`;
    }
    return { chart, version: chart.metadata.version, revision: artifact.revision };
  }
  throw new ChartSourceError(source, `sourceRef kind ${ref.kind} is not supported`);
}

/** An unpacked chart layer holds `<name>/Chart.yaml`; a flat one has Chart.yaml at the root. */
async function chartRootOf(dir: string, source: string): Promise<string> {
  const exists = (path: string) => Deno.stat(path).then(() => true, () => false);
  if (await exists(join(dir, "Chart.yaml"))) return dir;
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory && await exists(join(dir, entry.name, "Chart.yaml"))) {
      return join(dir, entry.name);
    }
  }
  throw new ChartSourceError(source, "the artifact holds no Chart.yaml; is it a Helm chart?");
}
