// `skiff build helm CHART`: what `helm template` prints, for a chart directory, a .tgz, a chart
// of an HTTP(S) repository (--repo URL, CHART is its name) or an OCI chart (oci://...).
import {
  type Chart,
  helmTemplate,
  HelmTemplateError,
  loadChart,
  loadChartArchive,
  resolveChart,
  resolveOciChart,
} from "../../lib/helm/mod.ts";
import { CommandError } from "./output.ts";

export interface BuildHelmOptions {
  releaseName?: string;
  namespace?: string;
  values?: string[];
  set?: string[];
  setString?: string[];
  setJson?: string[];
  setFile?: string[];
  kubeVersion?: string;
  apiVersions?: string[];
  includeCrds?: boolean;
  showOnly?: string[];
  skipTests?: boolean;
  noHooks?: boolean;
  skipSchemaValidation?: boolean;
  repo?: string;
  version?: string;
  username?: string;
  password?: string;
  caFile?: string;
  debug?: boolean;
  /** Where the output goes (default stdout). */
  write?: (text: string) => void | Promise<void>;
}

async function fetchChart(chart: string, o: BuildHelmOptions): Promise<Chart> {
  if (chart.startsWith("oci://")) {
    const credentials = o.username !== undefined
      ? { username: o.username, password: o.password }
      : undefined;
    const caCerts = o.caFile ? [await Deno.readTextFile(o.caFile)] : undefined;
    const pulled = await resolveOciChart(chart, o.version ?? "", credentials, { caCerts });
    return loadChartArchive(pulled.archive, chart);
  }
  if (o.repo) {
    const name = chart.slice(chart.lastIndexOf("/") + 1);
    const caCerts = o.caFile ? [await Deno.readTextFile(o.caFile)] : undefined;
    const resolved = await resolveChart(o.repo, name, o.version ?? "", {
      username: o.username,
      password: o.password,
      caCerts,
    });
    return loadChartArchive(resolved.archive, resolved.url);
  }
  return loadChart(chart);
}

/** Renders and prints; returns the exit code (errors are thrown as CommandError). */
export async function buildHelmCommand(chart: string, o: BuildHelmOptions): Promise<number> {
  const write = o.write ?? (async (t: string) => {
    await Deno.stdout.write(new TextEncoder().encode(t));
  });
  try {
    const loaded = await fetchChart(chart, o);
    const out = await helmTemplate({
      chart: loaded,
      releaseName: o.releaseName ?? "release-name",
      namespace: o.namespace ?? "default",
      valueFiles: o.values,
      values: o.set,
      stringValues: o.setString,
      jsonValues: o.setJson,
      fileValues: o.setFile,
      kubeVersion: o.kubeVersion,
      apiVersions: o.apiVersions,
      includeCrds: o.includeCrds,
      showOnly: o.showOnly,
      skipTests: o.skipTests,
      noHooks: o.noHooks,
      skipSchemaValidation: o.skipSchemaValidation,
      debug: o.debug,
      warn: (m) => console.error(m),
    });
    await write(out);
    return 0;
  } catch (e) {
    if (e instanceof HelmTemplateError && e.partialOutput) {
      await write(e.partialOutput);
    }
    if (e instanceof Deno.errors.NotFound) {
      throw new CommandError(`chart ${chart}: no such file or directory`, 1);
    }
    throw new CommandError((e as Error).message, 1);
  }
}
